package bot

import "nashra/wording"

// statsTexts are the words of /stats and its chart (wording.Stats).
type statsTexts = wording.Stats

func statsTextsFor(lang string) *statsTexts { return &wording.For(lang).Stats }
