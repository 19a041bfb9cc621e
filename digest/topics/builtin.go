package topics

import "sync"

// Builtin returns the catalog for the site: the anti-ISIS coalition, ISIS,
// the SDF and the Autonomous Administration, the camps and prisons, the
// governorates and towns of North-East Syria, and the actors around them.
//
// Aliases are chosen to be safe as whole words. Words that are also common
// nouns are only listed inside a phrase that disambiguates them: «الطبقة» is
// also "the class", so Tabqa is «مدينة الطبقة»; «روج» is also "promoted",
// so Roj is «مخيم روج»; «هجين» is also "hybrid". The English "IS" is left out:
// it is the verb "is" once lower-cased.
// The catalog is built once and shared: a Catalog is immutable.
func Builtin() *Catalog { return builtinOnce() }

var builtinOnce = sync.OnceValue(func() *Catalog {
	c, err := New(builtin)
	if err != nil {
		panic("topics: built-in catalog: " + err.Error()) // caught by TestBuiltin
	}
	return c
})

var builtin = []Topic{
	// Actors that define the site.
	{
		Slug: "coalition", Arabic: "التحالف الدولي", English: "Global Coalition against ISIS", Scope: true,
		Aliases: []string{
			"التحالف الدولي لهزيمة داعش", "التحالف الدولي ضد داعش", "قوات التحالف الدولي", "قوات التحالف",
			"التحالف الدولي لمحاربة داعش", "العزم الصلب", "عملية العزم الصلب", "قوة المهام المشتركة",
			"Global Coalition", "Global Coalition to Defeat ISIS", "International Coalition",
			"anti-ISIS coalition", "US-led coalition", "coalition forces",
			"CJTF-OIR", "Combined Joint Task Force", "Operation Inherent Resolve", "Inherent Resolve",
		},
	},
	{
		Slug: "isis", Arabic: "داعش", English: "ISIS", Scope: true,
		Aliases: []string{
			"تنظيم الدولة", "تنظيم الدولة الإسلامية", "الدولة الإسلامية في العراق والشام",
			"الدولة الإسلامية", "داعشي", "الدواعش", "خلايا التنظيم",
			"ISIL", "Daesh", "Daish", "Islamic State", "ISIS cells",
		},
	},
	{
		Slug: "sdf", Arabic: "قوات سوريا الديمقراطية", English: "Syrian Democratic Forces", Scope: true,
		Aliases: []string{
			"قسد", "قوات سورية الديمقراطية", "مظلوم عبدي", "مظلوم كوباني",
			"SDF", "Mazloum Abdi", "Mazloum Kobani",
		},
	},
	{
		Slug: "aanes", Arabic: "الإدارة الذاتية", English: "Autonomous Administration (AANES)", Scope: true,
		Aliases: []string{
			"الإدارة الذاتية لشمال وشرق سوريا", "الإدارة الذاتية الديمقراطية", "روج آفا", "روجآفا",
			"مجلس سوريا الديمقراطية", "مسد",
			"AANES", "Autonomous Administration", "Autonomous Administration of North and East Syria", "Rojava", "Syrian Democratic Council", "SDC",
		},
	},
	{
		Slug: "ypg", Arabic: "وحدات حماية الشعب", English: "People's Protection Units (YPG/YPJ)", Scope: true,
		Aliases: []string{
			"وحدات حماية المرأة", "الوحدات الكردية",
			"YPG", "YPJ", "People's Protection Units", "Women's Protection Units",
		},
	},
	{
		Slug: "asayish", Arabic: "الأسايش", English: "Asayish (internal security forces)", Scope: true,
		Aliases: []string{"Asayish", "Asayesh"},
	},

	// Camps and prisons.
	{
		Slug: "camps", Arabic: "المخيمات والسجون", English: "Camps and prisons", Scope: true,
		Aliases: []string{
			"السجون والمخيمات", "سجون ومخيمات", "مخيمات وسجون",
			"معتقلي داعش", "معتقلي التنظيم", "محتجزي داعش", "سجناء داعش", "سجون قسد",
			"عائلات داعش", "عائلات مقاتلي داعش", "أطفال داعش", "نساء داعش", "مخيمات الاحتجاز",
			"ISIS detainees", "ISIS prisoners", "detention camps", "ISIS families",
		},
	},
	{
		Slug: "al-hol", Arabic: "مخيم الهول", English: "al-Hol camp", Scope: true,
		Aliases: []string{"الهول", "al-Hol", "Hol camp", "al-Hawl", "Hawl camp"},
	},
	{
		Slug: "roj", Arabic: "مخيم روج", English: "Roj camp", Scope: true,
		Aliases: []string{"Roj"},
	},
	{
		Slug: "ghweran", Arabic: "سجن غويران", English: "Ghweran (al-Sina'a) prison", Scope: true,
		Aliases: []string{
			"غويران", "سجن الصناعة", "سجن الحسكة المركزي",
			"Ghweran", "Ghwayran", "Gweiran", "Sina'a prison", "Sinaa prison", "al-Sina'a prison",
		},
	},
	{
		Slug: "returns", Arabic: "استعادة الرعايا", English: "Repatriation", Scope: true,
		Aliases: []string{
			"استعادة رعاياها", "استعادة مواطنيها", "استعادة المواطنين", "استعادة الأطفال",
			"إعادة الرعايا", "إعادة رعاياها", "إعادة مواطنيها", "إعادة المواطنين",
			"إعادة العائلات", "ترحيل العائلات",
			"repatriation", "repatriations", "repatriate", "repatriated", "repatriating",
		},
	},

	// The region, its governorates and main towns.
	{
		Slug: "northeast-syria", Arabic: "شمال شرق سوريا", English: "North-East Syria", Scope: true,
		Aliases: []string{
			"شمال شرقي سوريا", "شمال وشرق سوريا", "شمال وشرقي سوريا",
			"شمال شرق سورية", "شمال شرقي سورية", "شمال وشرق سورية",
			"شرق الفرات", "شرقي الفرات", "الجزيرة السورية",
			"Northeast Syria", "North and East Syria", "northeastern Syria",
		},
	},
	{
		Slug: "hasakah", Arabic: "الحسكة", English: "Hasakah", Scope: true,
		Aliases: []string{"Hasaka", "Hassakeh", "Hasakeh"},
	},
	{
		Slug: "qamishli", Arabic: "القامشلي", English: "Qamishli", Scope: true,
		Aliases: []string{"قامشلو", "Qamishlo", "Kamishli"},
	},
	{
		Slug: "raqqa", Arabic: "الرقة", English: "Raqqa", Scope: true,
		Aliases: []string{"Rakka"},
	},
	{
		Slug: "deir-ez-zor", Arabic: "دير الزور", English: "Deir ez-Zor", Scope: true,
		Aliases: []string{"ديرالزور", "Deir al-Zor", "Deir al-Zour", "Deir el-Zor", "Deir Ezzor"},
	},
	{
		Slug: "manbij", Arabic: "منبج", English: "Manbij", Scope: true,
		Aliases: []string{"Menbij"},
	},
	{
		Slug: "kobani", Arabic: "كوباني", English: "Kobani", Scope: true,
		Aliases: []string{"عين العرب", "Kobane", "Ain al-Arab"},
	},
	{
		Slug: "tal-abyad", Arabic: "تل أبيض", English: "Tal Abyad", Scope: true,
		Aliases: []string{"كري سبي", "Tell Abyad", "Gire Spi"},
	},
	{
		Slug: "ras-al-ain", Arabic: "رأس العين", English: "Ras al-Ain", Scope: true,
		Aliases: []string{"سري كانيه", "سري كانييه", "Ras al-Ayn", "Serekaniye", "Sere Kaniye"},
	},
	{
		Slug: "tabqa", Arabic: "مدينة الطبقة", English: "Tabqa", Scope: true,
		Aliases: []string{"سد الطبقة", "مطار الطبقة", "منطقة الطبقة", "al-Tabqa"},
	},
	{
		Slug: "ain-issa", Arabic: "عين عيسى", English: "Ain Issa", Scope: true,
		Aliases: []string{"Ayn Issa"},
	},
	{
		Slug: "tal-tamr", Arabic: "تل تمر", English: "Tal Tamr", Scope: true,
		Aliases: []string{"Tell Tamer"},
	},
	{
		Slug: "shaddadi", Arabic: "الشدادي", English: "al-Shaddadi", Scope: true,
		Aliases: []string{"الشدادة", "Shaddadi", "Shadadi"},
	},
	{
		Slug: "hajin", Arabic: "بلدة هجين", English: "Hajin", Scope: true,
		Aliases: []string{"مدينة هجين", "Hajjin"},
	},
	{
		Slug: "baghuz", Arabic: "الباغوز", English: "al-Baghuz", Scope: true,
		Aliases: []string{"باغوز", "Baghuz", "Baghouz"},
	},
	{
		Slug: "tishrin-dam", Arabic: "سد تشرين", English: "Tishrin Dam", Scope: true,
		Aliases: []string{"جسر قره قوزاق", "Tishreen Dam", "Qara Qozak"},
	},

	// Neighbours and powers, as they bear on North-East Syria.
	{
		Slug: "turkish-ops", Arabic: "العمليات التركية", English: "Turkish operations", Scope: true,
		Aliases: []string{
			"العملية التركية", "الهجمات التركية", "القصف التركي", "الاحتلال التركي",
			"الجيش التركي", "القوات التركية", "المسيرات التركية", "المسيرة التركية", "الطائرات التركية",
			"الجيش الوطني السوري", "الفصائل الموالية لتركيا", "نبع السلام", "درع الفرات", "عملية غصن الزيتون",
			"Turkish operation", "Turkish offensive", "Turkish strikes", "Turkish drone", "Turkish drones",
			"Syrian National Army", "Turkish-backed", "Turkey-backed",
			"Peace Spring", "Euphrates Shield", "Operation Olive Branch",
		},
	},
	{
		Slug: "iraq", Arabic: "العراق", English: "Iraq", Scope: true,
		Aliases: []string{"العراقي", "الحكومة العراقية", "بغداد", "Iraqi", "Iraqis", "Baghdad"},
	},
	{
		Slug: "pmf", Arabic: "الحشد الشعبي", English: "Popular Mobilisation Forces", Scope: true,
		Aliases: []string{"هيئة الحشد", "PMF", "Popular Mobilization Forces", "Hashd al-Shaabi"},
	},
	{
		Slug: "kurdistan-region", Arabic: "إقليم كردستان", English: "Kurdistan Region of Iraq", Scope: true,
		Aliases: []string{
			"إقليم كردستان العراق", "كردستان العراق", "أربيل", "حكومة الإقليم",
			"Iraqi Kurdistan", "Kurdistan Region", "KRG", "Erbil",
		},
	},
	{
		Slug: "us-forces", Arabic: "القوات الأمريكية", English: "US forces", Scope: false,
		Aliases: []string{
			"القوات الأميركية", "الجيش الأمريكي", "الجيش الأميركي", "واشنطن", "الولايات المتحدة",
			"البنتاغون", "Washington", "Pentagon", "United States", "American forces", "US troops",
		},
	},
	{
		Slug: "russia", Arabic: "روسيا", English: "Russia", Scope: false,
		Aliases: []string{
			"القوات الروسية", "الشرطة العسكرية الروسية", "موسكو",
			"Russian forces", "Russian military police", "Moscow",
		},
	},
	{
		Slug: "damascus", Arabic: "الحكومة السورية", English: "Damascus government", Scope: false,
		Aliases: []string{
			"حكومة دمشق", "دمشق", "الجيش السوري", "وزارة الدفاع السورية", "النظام السوري", "قوات النظام",
			"Damascus", "Syrian government", "Syrian army", "Syrian regime",
		},
	},
	{
		Slug: "pkk", Arabic: "حزب العمال الكردستاني", English: "PKK", Scope: false,
		Aliases: []string{"العمال الكردستاني", "Kurdistan Workers' Party"},
	},
	{
		Slug: "syria-economy", Arabic: "الاقتصاد السوري", English: "Syrian economy", Scope: false,
		Aliases: []string{"الليرة السورية", "Syrian pound"},
	},
}
