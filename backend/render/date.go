package render

import (
	"strings"
	"time"

	"github.com/goodsign/monday"
	"golang.org/x/text/language"
)

// Dates are written in each language's long form ("5 décembre 2026",
// "5 December 2026", "5. Dezember 2026") by goodsign/monday: golang.org/x/text
// parses BCP 47 tags but formats no dates, and monday carries the CLDR month
// names and long layouts of some forty locales with no further dependency.

// dateLocale is a language's default monday locale where its region is not
// given or not known to monday.
var dateLocale = map[string]monday.Locale{
	"en": monday.LocaleEnGB,
	"fr": monday.LocaleFrFR,
	"de": monday.LocaleDeDE,
	"nl": monday.LocaleNlNL,
	"pt": monday.LocalePtPT,
	"zh": monday.LocaleZhCN,
}

// formatDate writes t for the BCP 47 locale tag, in British English when the
// language is not one monday knows.
func formatDate(t time.Time, tag string) string {
	loc := mondayLocale(tag)
	layout, ok := monday.LongFormatsByLocale[loc]
	if !ok {
		layout = "2 January 2006"
	}
	return monday.Format(t, layout, loc)
}

func mondayLocale(tag string) monday.Locale {
	t, err := language.Parse(tag)
	if err != nil {
		return monday.LocaleEnGB
	}
	base, _ := t.Base()
	want := monday.Locale("")
	if region, conf := t.Region(); conf == language.Exact { // "en" alone is not en-US
		want = monday.Locale(base.String() + "_" + region.String())
	}
	byBase := monday.Locale("")
	for _, l := range monday.ListLocales() {
		if want != "" && l == want {
			return l
		}
		if byBase == "" && strings.HasPrefix(string(l), base.String()+"_") {
			byBase = l
		}
	}
	if l, ok := dateLocale[base.String()]; ok {
		return l
	}
	if byBase != "" {
		return byBase
	}
	return monday.LocaleEnGB
}
