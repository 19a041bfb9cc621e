package arabic_test

import (
	"fmt"

	"nashra/digest/arabic"
)

func ExampleText_Contains() {
	// "The commander-in-chief of 'SDF' and the #International_Coalition"
	text := arabic.NewText("القائد العام لـ”قسد” و#التحالف_الدولي")
	for _, q := range []string{"قسد", "سد", "التحالف الدولي", "SDF"} { // SDF, dam, the international coalition
		p, _ := arabic.NewPhrase(q)
		fmt.Println(q, text.Contains(p))
	}
	// Output:
	// قسد true
	// سد false
	// التحالف الدولي true
	// SDF false
}

func ExamplePhrase_Key() {
	for _, q := range []string{"SDF", "sdf", "#قسد", "قسد", "#قوات_سوريا_الديمقراطية"} {
		p, _ := arabic.NewPhrase(q)
		fmt.Printf("%s → %s\n", p, p.Key())
	}
	// Output:
	// SDF → sdf
	// sdf → sdf
	// #قسد → قسد
	// قسد → قسد
	// #قوات_سوريا_الديمقراطية → قوات سوريا الديمقراطيه
}

func ExampleNormalize() {
	fmt.Println(arabic.Normalize("تهديّدات ٢٠١٩ أكّد الرقة لـقسد SDF")) // threats, 2019, confirmed, Raqqa, to-SDF
	// Output: تهديدات 2019 اكد الرقه لقسد sdf
}
