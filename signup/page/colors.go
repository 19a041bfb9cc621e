package page

import (
	"fmt"
	"html/template"
	"math"
	"regexp"
	"strconv"
)

// colors is the accent and the text drawn on it, chosen so that the two
// contrast by WCAG's measure: white, or near-black when white would not.
type colors struct {
	accent, onAccent string
}

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// CheckColor reports whether s is a colour the page takes: #rrggbb.
func CheckColor(s string) error {
	if !hexColor.MatchString(s) {
		return fmt.Errorf("colour %q: want #rrggbb", s)
	}
	return nil
}

func paletteFor(accent string) (colors, error) {
	if err := CheckColor(accent); err != nil {
		return colors{}, err
	}
	on := "#ffffff"
	if Contrast(accent, on) < Contrast(accent, "#111111") {
		on = "#111111"
	}
	return colors{accent: accent, onAccent: on}, nil
}

// css declares the colours as custom properties (validated hex, so safe
// to insert into the page's style sheet).
func (c colors) css() template.CSS {
	return template.CSS(fmt.Sprintf(":root{--accent:%s;--on-accent:%s}", c.accent, c.onAccent))
}

// Contrast is WCAG 2's contrast ratio of two #rrggbb colours, 1 to 21.
func Contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	v, _ := strconv.ParseUint(hex[1:], 16, 32)
	ch := func(shift uint) float64 {
		c := float64((v>>shift)&0xff) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(16) + 0.7152*ch(8) + 0.0722*ch(0)
}
