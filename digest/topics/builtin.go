package topics

import "sync"

// Builtin returns the catalog for the site as Syria stands in 2026: the
// SDF and the anti-ISIS coalition, Damascus's transitional government and
// the 10 March agreement that is to bring the SDF into the state, the
// Kurdish parties, the tribes, the camps and prisons, the towns of
// North-East Syria and beyond it Sheikh Maqsoud and Afrin, the neighbours,
// and the economy of oil, fuel, wheat, water and the border crossings.
//
// Aliases are chosen to be safe as whole words. Words that are also common
// nouns are only listed inside a phrase that disambiguates them: «الطبقة» is
// also "the class", so Tabqa is «مدينة الطبقة»; «روج» is also "promoted",
// so Roj is «مخيم روج»; «هجين» is also "hybrid". Such words, and names that
// readers type but the press rarely writes, are follow names: «التحالف»
// finds the coalition after /follow without tagging every coalition in the
// news. Indefinite forms («قصف تركي») also find the definite ones («القصف
// التركي»), so headlines' wording comes first. The English "IS" is left
// out: it is the verb "is" once lower-cased.
// The catalog is built once and shared: a Catalog is immutable.
func Builtin() *Catalog { return builtinOnce() }

var builtinOnce = sync.OnceValue(func() *Catalog {
	c, err := New(builtinGroups, builtin)
	if err != nil {
		panic("topics: built-in catalog: " + err.Error()) // caught by TestBuiltin
	}
	return c
})

// builtinGroups are the pages of /topics, in order.
var builtinGroups = []Group{
	{Slug: "actors", Arabic: "الأطراف", English: "Forces"},
	{Slug: "damascus", Arabic: "دمشق", English: "Damascus"},
	{Slug: "kurdish", Arabic: "السياسة الكردية", English: "Kurdish politics"},
	{Slug: "camps", Arabic: "المخيمات والسجون", English: "Camps and prisons"},
	{Slug: "towns", Arabic: "المدن", English: "Towns"},
	{Slug: "neighbours", Arabic: "الجوار", English: "Neighbours"},
	{Slug: "economy", Arabic: "الاقتصاد", English: "Economy"},
}

var builtin = []Topic{
	// The forces on the ground.
	{
		Slug: "coalition", Arabic: "التحالف الدولي", English: "Global Coalition against ISIS", ShortEnglish: "Coalition",
		Group: "actors", Scope: true,
		Aliases: []string{
			"التحالف الدولي لهزيمة داعش", "التحالف الدولي ضد داعش", "قوات التحالف الدولي", "قوات التحالف",
			"التحالف الدولي لمحاربة داعش", "العزم الصلب", "عملية العزم الصلب", "قوة المهام المشتركة",
			"التحالف بقيادة الولايات المتحدة", "التحالف بقيادة واشنطن",
			"Global Coalition", "Global Coalition to Defeat ISIS", "International Coalition",
			"anti-ISIS coalition", "US-led coalition", "coalition forces",
			"CJTF-OIR", "Combined Joint Task Force", "Operation Inherent Resolve", "Inherent Resolve",
		},
		// Bare, it is any coalition (a ruling one in a parliament).
		FollowNames: []string{"التحالف", "تحالف", "the coalition"},
	},
	{
		Slug: "isis", Arabic: "داعش", English: "ISIS", Group: "actors", Scope: true,
		Aliases: []string{
			"تنظيم الدولة", "تنظيم الدولة الإسلامية", "الدولة الإسلامية في العراق والشام",
			"الدولة الإسلامية", "داعشي", "الدواعش", "خلايا التنظيم",
			"ISIL", "Daesh", "Daish", "Islamic State", "ISIS cells",
		},
	},
	{
		Slug: "sdf", Arabic: "قوات سوريا الديمقراطية", English: "Syrian Democratic Forces",
		ShortArabic: "قسد", ShortEnglish: "SDF", Group: "actors", Scope: true,
		Aliases: []string{
			"قسد", "قوات سورية الديمقراطية", "مظلوم عبدي", "مظلوم كوباني",
			"SDF", "Mazloum Abdi", "Mazloum Kobani",
		},
	},
	{
		Slug: "ypg", Arabic: "وحدات حماية الشعب", English: "People's Protection Units (YPG/YPJ)",
		ShortArabic: "وحدات الحماية", ShortEnglish: "YPG/YPJ", Group: "actors", Scope: true,
		Aliases: []string{
			"وحدات حماية المرأة", "الوحدات الكردية",
			"YPG", "YPJ", "People's Protection Units", "Women's Protection Units",
		},
	},
	{
		Slug: "asayish", Arabic: "الأسايش", English: "Asayish (internal security forces)", ShortEnglish: "Asayish",
		Group: "actors", Scope: true,
		Aliases: []string{"Asayish", "Asayesh"},
	},
	{
		Slug: "deir-ez-zor-council", Arabic: "مجلس دير الزور العسكري", English: "Deir ez-Zor Military Council",
		ShortArabic: "مجلس دير الزور", ShortEnglish: "Deir ez-Zor Council", Group: "actors", Scope: true,
		Aliases: []string{
			"المجلس العسكري لدير الزور", "المجلس العسكري في دير الزور", "أحمد الخبيل",
			"Deir Ezzor Military Council", "Deir al-Zor Military Council",
		},
	},
	{
		// Tribes are news across Syria (Suwayda, Daraa), so they do not
		// make an article the site's on their own.
		Slug: "tribes", Arabic: "العشائر العربية", English: "Arab tribes", ShortArabic: "العشائر",
		Group: "actors",
		Aliases: []string{
			"عشائر", "عشيرة", "قبيلة العكيدات", "العكيدات", "البكارة", "قبيلة شمر", "قبيلة طيء", "شيخ عشيرة",
			"tribes", "tribal", "tribal fighters", "Akidat", "Uqaidat", "Baggara",
		},
	},
	{
		Slug: "us-forces", Arabic: "القوات الأمريكية", English: "US forces", Group: "actors",
		Aliases: []string{
			"القوات الأميركية", "الجيش الأمريكي", "الجيش الأميركي", "واشنطن", "الولايات المتحدة",
			"البنتاغون", "Washington", "Pentagon", "United States", "American forces", "US troops",
		},
	},
	{
		Slug: "russia", Arabic: "روسيا", English: "Russia", Group: "actors",
		Aliases: []string{
			"القوات الروسية", "الشرطة العسكرية الروسية", "موسكو",
			"Russian forces", "Russian military police", "Moscow",
		},
	},

	// Damascus: the transitional government and what it agreed with the SDF.
	{
		// The slug predates the transition; readers' follows keep it.
		Slug: "damascus", Arabic: "الحكومة السورية الانتقالية", English: "Syrian transitional government",
		ShortArabic: "الحكومة الانتقالية", ShortEnglish: "Transitional government", Group: "damascus",
		Aliases: []string{
			"الحكومة السورية", "الحكومة الانتقالية", "حكومة دمشق", "دمشق", "السلطات السورية",
			"الإدارة السورية الجديدة", "الرئيس السوري", "الرئاسة السورية", "أحمد الشرع", "الرئيس الشرع",
			"أبو محمد الجولاني", "الجيش السوري", "وزارة الدفاع السورية", "الخارجية السورية",
			"Damascus", "Syrian government", "Syrian authorities", "Syrian army",
			"Ahmed al-Sharaa", "Ahmad al-Sharaa", "al-Sharaa", "al-Jolani", "Jolani",
		},
		// «الشرع» alone is also religious law.
		FollowNames: []string{"الشرع", "الجولاني", "حكومة الشرع", "Sharaa"},
		// The opposition's interim government, the Free Syrian Army, and
		// the president and government before the transition.
		Except: []string{
			"الحكومة السورية المؤقتة", "الجيش السوري الحر", "الحكومة السورية السابقة",
			"الرئيس السوري السابق", "الرئيس السوري المخلوع", "الرئيس السوري بشار الأسد",
			"Free Syrian Army",
		},
	},
	{
		Slug: "general-security", Arabic: "الأمن العام", English: "General Security", Group: "damascus",
		Aliases: []string{
			"الأمن العام السوري", "الداخلية السورية", "General Security Service", "Syrian Interior Ministry",
		},
		Except: []string{"الأمن العام اللبناني", "الأمن العام الأردني", "Lebanese General Security"},
	},
	{
		Slug: "march-10-agreement", Arabic: "اتفاق 10 آذار", English: "10 March agreement",
		Group: "damascus", Scope: true,
		Aliases: []string{
			"اتفاق العاشر من آذار", "اتفاقية 10 آذار", "اتفاقية العاشر من آذار", "اتفاق 10 مارس",
			"اتفاق الشرع وعبدي", "اتفاق الشرع عبدي", "اتفاق عبدي والشرع", "اتفاق دمشق وقسد", "اتفاق قسد ودمشق",
			"دمج قسد", "اندماج قسد", "دمج قوات سوريا الديمقراطية", "دمج مؤسسات الإدارة الذاتية",
			"March 10 agreement", "SDF integration", "integration of the SDF",
		},
		FollowNames: []string{"اتفاق آذار", "اتفاق الدمج"},
	},
	{
		Slug: "former-regime", Arabic: "النظام السابق", English: "Former Assad regime", ShortEnglish: "Assad regime",
		Group: "damascus",
		Aliases: []string{
			"النظام البائد", "النظام المخلوع", "النظام السوري السابق", "النظام السوري", "نظام الأسد",
			"قوات النظام", "فلول النظام", "بقايا النظام", "بشار الأسد", "الرئيس المخلوع", "الجيش العربي السوري",
			"Assad regime", "Syrian regime", "former regime", "Bashar al-Assad",
		},
	},

	// The Autonomous Administration and the Kurdish parties.
	{
		Slug: "aanes", Arabic: "الإدارة الذاتية", English: "Autonomous Administration (AANES)", ShortEnglish: "AANES",
		Group: "kurdish", Scope: true,
		Aliases: []string{
			"الإدارة الذاتية لشمال وشرق سوريا", "الإدارة الذاتية الديمقراطية", "روج آفا", "روجآفا",
			"مجلس سوريا الديمقراطية", "مسد",
			"AANES", "Autonomous Administration", "Autonomous Administration of North and East Syria", "Rojava", "Syrian Democratic Council", "SDC",
		},
	},
	{
		Slug: "pyd", Arabic: "حزب الاتحاد الديمقراطي", English: "Democratic Union Party (PYD)",
		ShortArabic: "الاتحاد الديمقراطي", ShortEnglish: "PYD", Group: "kurdish", Scope: true,
		Aliases: []string{"الاتحاد الديمقراطي", "صالح مسلم", "PYD", "Democratic Union Party"},
		// Germany's Christian Democrats (CDU).
		Except: []string{"الاتحاد الديمقراطي المسيحي"},
	},
	{
		Slug: "enks", Arabic: "المجلس الوطني الكردي", English: "Kurdish National Council (ENKS)", ShortEnglish: "ENKS",
		Group: "kurdish", Scope: true,
		Aliases: []string{"المجلس الكردي", "ENKS", "Kurdish National Council"},
	},
	{
		Slug: "pkk", Arabic: "حزب العمال الكردستاني", English: "PKK", ShortArabic: "العمال الكردستاني", Group: "kurdish",
		Aliases: []string{"العمال الكردستاني", "عبد الله أوجلان", "أوجلان", "Kurdistan Workers' Party", "Ocalan", "Öcalan"},
	},

	// Camps and prisons, and who leaves them.
	{
		Slug: "camps", Arabic: "المخيمات والسجون", English: "Camps and prisons", Group: "camps", Scope: true,
		Aliases: []string{
			"السجون والمخيمات", "سجون ومخيمات", "مخيمات وسجون",
			"معتقلي داعش", "معتقلي التنظيم", "محتجزي داعش", "سجناء داعش", "سجون قسد",
			"عائلات داعش", "عائلات مقاتلي داعش", "أطفال داعش", "نساء داعش", "مخيمات الاحتجاز",
			"ISIS detainees", "ISIS prisoners", "detention camps", "ISIS families",
		},
	},
	{
		Slug: "al-hol", Arabic: "مخيم الهول", English: "al-Hol camp", Group: "camps", Scope: true,
		Aliases: []string{"الهول", "al-Hol", "Hol camp", "al-Hawl", "Hawl camp"},
	},
	{
		Slug: "roj", Arabic: "مخيم روج", English: "Roj camp", Group: "camps", Scope: true,
		Aliases:     []string{"Roj"},
		FollowNames: []string{"روج"},
	},
	{
		Slug: "ghweran", Arabic: "سجن غويران", English: "Ghweran (al-Sina'a) prison", ShortEnglish: "Ghweran prison",
		Group: "camps", Scope: true,
		Aliases: []string{
			"غويران", "سجن الصناعة", "سجن الحسكة المركزي",
			"Ghweran", "Ghwayran", "Gweiran", "Sina'a prison", "Sinaa prison", "al-Sina'a prison",
		},
	},
	{
		Slug: "returns", Arabic: "استعادة الرعايا", English: "Repatriation", Group: "camps", Scope: true,
		Aliases: []string{
			"استعادة رعاياها", "استعادة مواطنيها", "استعادة المواطنين", "استعادة الأطفال",
			"إعادة الرعايا", "إعادة رعاياها", "إعادة مواطنيها", "إعادة المواطنين",
			"إعادة العائلات", "ترحيل العائلات",
			"repatriation", "repatriations", "repatriate", "repatriated", "repatriating",
		},
	},
	{
		// Displaced people return across Syria, so the place says whether
		// it is the site's.
		Slug: "displaced-return", Arabic: "عودة النازحين", English: "Return of the displaced", ShortEnglish: "Displaced returning",
		Group: "camps",
		Aliases: []string{
			"عودة نازحين", "عودة نازحي", "عودة المهجرين", "عودة مهجرين", "عودة مهجري", "عودة المهجرين قسرا",
			"عودة اللاجئين", "عودة لاجئين", "إعادة النازحين", "العودة الطوعية",
			"return of the displaced", "returnees", "IDP returns",
		},
	},

	// North-East Syria, its governorates and towns, and the Kurdish areas
	// of Aleppo.
	{
		Slug: "northeast-syria", Arabic: "شمال شرق سوريا", English: "North-East Syria", Group: "towns", Scope: true,
		Aliases: []string{
			"شمال شرقي سوريا", "شمال وشرق سوريا", "شمال وشرقي سوريا",
			"شمال شرق سورية", "شمال شرقي سورية", "شمال وشرق سورية",
			"شرق الفرات", "شرقي الفرات", "الجزيرة السورية",
			"Northeast Syria", "North and East Syria", "northeastern Syria",
		},
	},
	{
		Slug: "hasakah", Arabic: "الحسكة", English: "Hasakah", Group: "towns", Scope: true,
		Aliases: []string{"Hasaka", "Hassakeh", "Hasakeh"},
	},
	{
		Slug: "qamishli", Arabic: "القامشلي", English: "Qamishli", Group: "towns", Scope: true,
		Aliases: []string{"قامشلي", "قامشلو", "Qamishlo", "Kamishli"},
	},
	{
		Slug: "raqqa", Arabic: "الرقة", English: "Raqqa", Group: "towns", Scope: true,
		Aliases: []string{"Rakka"},
	},
	{
		Slug: "deir-ez-zor", Arabic: "دير الزور", English: "Deir ez-Zor", Group: "towns", Scope: true,
		Aliases: []string{"ديرالزور", "Deir al-Zor", "Deir al-Zour", "Deir el-Zor", "Deir Ezzor"},
	},
	{
		Slug: "manbij", Arabic: "منبج", English: "Manbij", Group: "towns", Scope: true,
		Aliases: []string{"Menbij"},
	},
	{
		Slug: "kobani", Arabic: "كوباني", English: "Kobani", Group: "towns", Scope: true,
		Aliases: []string{"عين العرب", "Kobane", "Ain al-Arab"},
	},
	{
		Slug: "tabqa", Arabic: "مدينة الطبقة", English: "Tabqa", ShortArabic: "الطبقة", Group: "towns", Scope: true,
		Aliases: []string{"سد الطبقة", "مطار الطبقة", "منطقة الطبقة", "سد الفرات", "al-Tabqa"},
	},
	{
		Slug: "tal-abyad", Arabic: "تل أبيض", English: "Tal Abyad", Group: "towns", Scope: true,
		Aliases: []string{"كري سبي", "Tell Abyad", "Gire Spi"},
	},
	{
		Slug: "ras-al-ain", Arabic: "رأس العين", English: "Ras al-Ain", Group: "towns", Scope: true,
		Aliases: []string{"سري كانيه", "سري كانييه", "Ras al-Ayn", "Serekaniye", "Sere Kaniye"},
	},
	{
		Slug: "ain-issa", Arabic: "عين عيسى", English: "Ain Issa", Group: "towns", Scope: true,
		Aliases: []string{"Ayn Issa"},
	},
	{
		Slug: "tal-tamr", Arabic: "تل تمر", English: "Tal Tamr", Group: "towns", Scope: true,
		Aliases: []string{"Tell Tamer"},
	},
	{
		Slug: "shaddadi", Arabic: "الشدادي", English: "al-Shaddadi", Group: "towns", Scope: true,
		Aliases: []string{"الشدادة", "Shaddadi", "Shadadi"},
	},
	{
		Slug: "hajin", Arabic: "بلدة هجين", English: "Hajin", ShortArabic: "هجين", Group: "towns", Scope: true,
		Aliases: []string{"مدينة هجين", "Hajjin"},
	},
	{
		Slug: "baghuz", Arabic: "الباغوز", English: "al-Baghuz", Group: "towns", Scope: true,
		Aliases: []string{"باغوز", "Baghuz", "Baghouz"},
	},
	{
		Slug: "albukamal", Arabic: "البوكمال", English: "Albu Kamal", Group: "towns", Scope: true,
		Aliases: []string{"Albukamal", "Al-Bukamal", "Boukamal"},
	},
	{
		Slug: "tishrin-dam", Arabic: "سد تشرين", English: "Tishrin Dam", Group: "towns", Scope: true,
		Aliases: []string{"جسر قره قوزاق", "Tishreen Dam", "Qara Qozak"},
	},
	{
		Slug: "sheikh-maqsoud", Arabic: "الشيخ مقصود", English: "Sheikh Maqsoud (Aleppo)", ShortEnglish: "Sheikh Maqsoud",
		Group: "towns", Scope: true,
		Aliases: []string{"Sheikh Maqsoud", "Sheikh Maqsood", "Sheikh Maksoud"},
	},
	{
		Slug: "afrin", Arabic: "عفرين", English: "Afrin", Group: "towns", Scope: true,
		Aliases: []string{"Efrin"},
	},

	// Neighbours and their forces, as they bear on North-East Syria.
	{
		Slug: "turkish-ops", Arabic: "العمليات التركية", English: "Turkish operations", Group: "neighbours", Scope: true,
		Aliases: []string{
			"العملية التركية", "الهجمات التركية", "القصف التركي", "الاحتلال التركي",
			"الجيش التركي", "القوات التركية", "المسيرات التركية", "المسيرة التركية", "الطائرات التركية",
			"مسيرة تركية", "قصف تركي", "غارة تركية", "هجوم تركي", "هجمات تركية", "استهداف تركي",
			"قوات تركية", "تصعيد تركي", "عملية عسكرية تركية",
			"الجيش الوطني السوري", "الفصائل الموالية لتركيا", "نبع السلام", "درع الفرات", "عملية غصن الزيتون",
			"Turkish operation", "Turkish offensive", "Turkish strikes", "Turkish drone", "Turkish drones",
			"Turkish airstrike", "Turkish airstrikes", "Turkish shelling",
			"Syrian National Army", "Turkish-backed", "Turkey-backed",
			"Peace Spring", "Euphrates Shield", "Operation Olive Branch",
		},
	},
	{
		// Turkey is news well beyond Syria: the place says whether an
		// article is the site's.
		Slug: "turkey", Arabic: "تركيا", English: "Turkey", Group: "neighbours",
		Aliases: []string{
			"أنقرة", "الحكومة التركية", "الرئيس التركي", "أردوغان", "وزارة الدفاع التركية",
			"الخارجية التركية", "الاستخبارات التركية",
			"Türkiye", "Turkiye", "Ankara", "Erdogan", "Erdoğan", "Turkish government",
		},
	},
	{
		Slug: "iraq", Arabic: "العراق", English: "Iraq", Group: "neighbours", Scope: true,
		Aliases: []string{"العراقي", "الحكومة العراقية", "بغداد", "Iraqi", "Iraqis", "Baghdad"},
	},
	{
		Slug: "pmf", Arabic: "الحشد الشعبي", English: "Popular Mobilisation Forces", ShortEnglish: "PMF",
		Group: "neighbours", Scope: true,
		Aliases: []string{"هيئة الحشد", "PMF", "Popular Mobilization Forces", "Hashd al-Shaabi"},
	},
	{
		Slug: "kurdistan-region", Arabic: "إقليم كردستان", English: "Kurdistan Region of Iraq", ShortEnglish: "Kurdistan Region",
		Group: "neighbours", Scope: true,
		Aliases: []string{
			"إقليم كردستان العراق", "كردستان العراق", "أربيل", "حكومة الإقليم",
			"الحزب الديمقراطي الكردستاني", "بارزاني",
			"Iraqi Kurdistan", "Kurdistan Region", "KRG", "Erbil", "KDP", "Barzani",
		},
	},
	{
		Slug: "iran-militias", Arabic: "الميليشيات الإيرانية", English: "Iran-backed militias", Group: "neighbours",
		Aliases: []string{
			"ميليشيات إيرانية", "الميليشيات الموالية لإيران", "ميليشيات موالية لإيران",
			"الميليشيات المدعومة من إيران", "ميليشيات مدعومة من إيران", "الفصائل الموالية لإيران",
			"فصائل موالية لإيران", "الحرس الثوري", "فيلق القدس", "فاطميون", "زينبيون",
			"كتائب حزب الله", "حزب الله العراقي", "حركة النجباء",
			"Iran-backed militias", "Iranian militias", "pro-Iranian militias", "IRGC", "Quds Force", "Kataib Hezbollah",
		},
	},

	// The economy: what North-East Syria produces, buys and lacks.
	{
		Slug: "syria-economy", Arabic: "الاقتصاد السوري", English: "Syrian economy", Group: "economy",
		Aliases: []string{
			"الليرة السورية", "قانون قيصر", "العقوبات على سوريا", "رفع العقوبات عن سوريا",
			"Syrian pound", "Caesar Act",
		},
	},
	{
		Slug: "oil", Arabic: "النفط", English: "Oil and gas", ShortEnglish: "Oil", Group: "economy",
		Aliases: []string{
			"نفط", "حقول النفط", "حقل العمر", "حقل كونيكو", "كونيكو", "رميلان", "حراقات النفط",
			"الغاز الطبيعي", "oil", "oil fields", "Conoco",
		},
	},
	{
		Slug: "fuel", Arabic: "المحروقات", English: "Fuel", Group: "economy",
		Aliases: []string{
			"محروقات", "الوقود", "وقود", "المازوت", "مازوت", "البنزين", "بنزين",
			"الغاز المنزلي", "أسطوانة الغاز", "أسطوانات الغاز", "جرة الغاز",
			"diesel", "petrol", "gasoline",
		},
	},
	{
		Slug: "wheat", Arabic: "القمح والخبز", English: "Wheat and bread", Group: "economy",
		Aliases: []string{
			"القمح", "قمح", "محصول القمح", "الطحين", "طحين", "صوامع", "ربطة الخبز", "ربطة خبز", "الخبز", "خبز",
			"الأفران", "wheat", "bread", "flour",
		},
	},
	{
		Slug: "water", Arabic: "المياه", English: "Water", Group: "economy",
		Aliases: []string{
			"مياه الشرب", "أزمة المياه", "أزمة مياه", "شح المياه", "انقطاع المياه", "الجفاف", "جفاف",
			"نهر الفرات", "مياه الفرات", "منسوب الفرات", "محطة علوك", "علوك",
			"Alouk", "Allouk", "Euphrates River", "water crisis", "drinking water",
		},
		// «الفرات» alone is also a region (شرق الفرات) and an operation
		// (درع الفرات).
		FollowNames: []string{"الفرات", "الماء", "مياه"},
	},
	{
		Slug: "crossings", Arabic: "المعابر", English: "Border crossings", Group: "economy",
		Aliases: []string{
			"المعابر الحدودية", "معبر حدودي", "معبر سيمالكا", "سيمالكا", "فيشخابور", "معبر اليعربية", "اليعربية",
			"تل كوجر", "معبر ربيعة", "معبر البوكمال", "منفذ البوكمال", "معبر القائم", "منفذ القائم",
			"Semalka", "Faysh Khabur", "Fishkhabour", "Yarubiyah", "al-Yarubiyah", "Rabia crossing",
			"Qaim crossing", "border crossing", "border crossings",
		},
	},
}
