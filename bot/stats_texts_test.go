package bot

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"nashra/subscribers"
)

// Both catalogs say an empty newsroom in words. (An admin reading in
// English is a reader, so the bot never meets this in English: it is
// written here.)
func TestStatsTextEmptyInWords(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	r := statsReport{
		counts: map[subscribers.Status]int64{},
		days:   make([]subscribers.ReaderDay, 7),
	}
	for lang, want := range map[string][]string{
		"ar": {"لم يشترك أحد في النشرة بعد.", "لم يتابع أحد موضوعاً بعد.", "لم نسجّل أي اشتراك بعد.",
			"• النشرة: لا رسائل", "عدّادات الإرسال غير متاحة", "لا رسائل تنتظر الإرسال.", "لا مصادر أخبار"},
		"en": {"Nobody has subscribed yet.", "Nobody follows a topic yet.", "No signups recorded yet.",
			"• the digest: no messages", "Delivery counters are not available", "No messages are waiting to be sent.",
			"This instance is configured without news feeds."},
	} {
		got := statsText(r, statsTextsFor(lang), 7, now)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: empty /stats %q does not say %q", lang, got, w)
			}
		}
		if zero := regexp.MustCompile(`(^|[^0-9/])0($|[^0-9/])`).FindString(got); zero != "" {
			t.Errorf("%s: empty /stats shows a zero (%q) where words belong: %q", lang, zero, got)
		}
	}
}

// A week in which nobody came or went is one sentence, not seven rows.
func TestStatsTextQuietWeek(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	r := statsReport{
		counts: map[subscribers.Status]int64{subscribers.Active: 12},
		days:   make([]subscribers.ReaderDay, 7),
	}
	for i := range r.days {
		r.days[i] = subscribers.ReaderDay{Day: now.AddDate(0, 0, i-6), Readers: 12}
	}
	for lang, want := range map[string]string{
		"ar": "لم ينضمّ أحد ولم يغادر أحد في آخر 7 أيام.", // "nobody joined or left in the last 7 days"
		"en": "Nobody joined or left in the last 7 days.",
	} {
		got := statsText(r, statsTextsFor(lang), 7, now)
		if !strings.Contains(got, want) {
			t.Errorf("%s: a quiet week reads %q; want %q", lang, got, want)
		}
		if strings.Contains(got, "28/11") || strings.Contains(got, "28 Nov") {
			t.Errorf("%s: a quiet week lists its days: %q", lang, got)
		}
	}
}

// A day without movement between two that had some says so; the days
// before the first reader are left out.
func TestStatsTextQuietDay(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	r := statsReport{
		counts: map[subscribers.Status]int64{subscribers.Active: 3},
		days:   make([]subscribers.ReaderDay, 7),
	}
	for i := range r.days {
		r.days[i].Day = now.AddDate(0, 0, i-6)
	}
	r.days[4].Joined, r.days[4].Readers, r.days[4].Active = 2, 2, 2 // 26/11
	r.days[5].Readers, r.days[5].Active = 2, 2                      // 27/11: nobody came or went
	r.days[6].Joined, r.days[6].Readers, r.days[6].Active = 1, 3, 3 // 28/11
	for lang, want := range map[string][]string{
		"ar": {"26/11: جدد 2، عائدون 0، مغادرون 0، المشتركون 2، النشطون 2",
			"27/11: لا جدد ولا مغادرون، المشتركون 2، النشطون 2", // "no newcomers and no leavers, 2 subscribed, 2 active"
			"28/11: جدد 1، عائدون 0، مغادرون 0، المشتركون 3، النشطون 3"},
		"en": {"26 Nov: new 2, returned 0, left 0, subscribed 2, active 2", "27 Nov: nobody joined or left, subscribed 2, active 2",
			"28 Nov: new 1, returned 0, left 0, subscribed 3, active 3"},
	} {
		got := statsText(r, statsTextsFor(lang), 7, now)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q does not say %q", lang, got, w)
			}
		}
		if strings.Contains(got, "25/11") || strings.Contains(got, "25 Nov") {
			t.Errorf("%s: lists a day before the first reader: %q", lang, got)
		}
	}
}

// The signup page's own source, and the site's footer where its box or
// link sits, are named in words.
func TestStatsNamesTheSiteSources(t *testing.T) {
	r := statsReport{signups: map[string]int64{"web": 2, "site-footer": 1}}
	for lang, want := range map[string][]string{
		"ar": {"• صفحة الاشتراك على الموقع: قارئان", "• أسفل صفحات الموقع: قارئ واحد"}, // "the signup page on the site: 2 readers", "the foot of the site's pages: one reader"
		"en": {"• the signup page on the site: 2 readers", "• the foot of the site&#39;s pages: 1 reader"},
	} {
		got := statsText(r, statsTextsFor(lang), 7, time.Now())
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: /stats %q does not say %q", lang, got, w)
			}
		}
	}
}

// The chart's bars are the active readers of each day, not every
// subscriber: a reader who paused gets no digest and has no share of a bar.
// Its title names them, and the span it names is the days it shows.
func TestStatsChartBarsAreActiveReaders(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	r := statsReport{
		counts: map[subscribers.Status]int64{subscribers.Active: 2, subscribers.Paused: 3},
		days:   make([]subscribers.ReaderDay, 30),
	}
	for i := range r.days {
		r.days[i].Day = now.AddDate(0, 0, i-29)
	}
	// The first readers came on 26/11: three days to show.
	r.days[27] = subscribers.ReaderDay{Day: r.days[27].Day, Joined: 4, Readers: 4, Active: 4}
	r.days[28] = subscribers.ReaderDay{Day: r.days[28].Day, Joined: 1, Readers: 5, Active: 3}
	r.days[29] = subscribers.ReaderDay{Day: r.days[29].Day, Readers: 5, Active: 2}
	for lang, want := range map[string]struct{ title, axis string }{
		"ar": {"القرّاء النشطون في نهاية كل يوم، آخر 3 أيام", "القرّاء النشطون"}, // "active readers at the end of each day, the last 3 days"
		"en": {"Active readers at the end of each day, the last 3 days", "active readers"},
	} {
		d := statsChart(r, statsTextsFor(lang), lang, 30)
		var got []int64
		for _, p := range d.Readers {
			got = append(got, p.N)
		}
		if !slices.Equal(got, []int64{4, 3, 2}) {
			t.Errorf("%s: bars %v; want the active readers 4, 3, 2", lang, got)
		}
		if d.ReadersTitle != want.title || d.CountAxis != want.axis {
			t.Errorf("%s: title %q, axis %q; want %q, %q", lang, d.ReadersTitle, d.CountAxis, want.title, want.axis)
		}
		text := statsText(r, statsTextsFor(lang), 7, now)
		for _, w := range map[string][]string{
			"ar": {"27/11: جدد 1، عائدون 0، مغادرون 0، المشتركون 5، النشطون 3", "28/11: لا جدد ولا مغادرون، المشتركون 5، النشطون 2"},
			"en": {"27 Nov: new 1, returned 0, left 0, subscribed 5, active 3", "28 Nov: nobody joined or left, subscribed 5, active 2"},
		}[lang] {
			if !strings.Contains(text, w) {
				t.Errorf("%s: /stats %q does not say %q", lang, text, w)
			}
		}
	}
}
