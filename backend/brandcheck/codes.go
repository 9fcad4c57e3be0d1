package brandcheck

import (
	"regexp"
	"strings"
)

// FindingCode is a finding's stable identifier: an i18n key under
// "findings" in the locale files, where its message is; the fix is under
// the code + "_hint". It is not a fault.Code: findings are not errors.
// Messages name the finding's params plus {rule}, {locale} and {slot}.
type FindingCode string

// Finding codes. The comment lists each code's params.
const (
	// The rule pack and the check itself.
	CodeRuleUnknown       FindingCode = "brandcheck.rule_unknown"        // {kind}
	CodeRuleInvalid       FindingCode = "brandcheck.rule_invalid"        // {kind, field}
	CodeCheckFailed       FindingCode = "brandcheck.check_failed"        // {kind}
	CodeCampaignMissing   FindingCode = "brandcheck.campaign_missing"    //
	CodeReleaseMissing    FindingCode = "brandcheck.release_missing"     //
	CodeReleaseMismatch   FindingCode = "brandcheck.release_mismatch"    // {pinned, given}
	CodeTemplateUnknown   FindingCode = "brandcheck.template_unknown"    // {template}
	CodeRegionUnknown     FindingCode = "brandcheck.region_unknown"      // {region}
	CodeLocalesMissing    FindingCode = "brandcheck.locales_missing"     //
	CodeLocaleNotRendered FindingCode = "brandcheck.locale_not_rendered" // {locale}
	CodeTodayInvalid      FindingCode = "brandcheck.today_invalid"       // {today}

	// Words.
	CodeWordRestricted    FindingCode = "brandcheck.word_restricted"    // {term, found}
	CodePatternRestricted FindingCode = "brandcheck.pattern_restricted" // {found}
	CodePlaceholderLeft   FindingCode = "brandcheck.placeholder_left"   // {placeholder}
	CodeUntranslated      FindingCode = "brandcheck.untranslated"       // {from}
	CodeTooLong           FindingCode = "brandcheck.too_long"           // {length, max}
	CodeTooShort          FindingCode = "brandcheck.too_short"          // {length, min}
	CodeExclamations      FindingCode = "brandcheck.exclamations"       // {count, max}
	CodeCapsWords         FindingCode = "brandcheck.caps_words"         // {count, max, words}
	CodeEmoji             FindingCode = "brandcheck.emoji"              // {count, max}
	CodeColourOffPalette  FindingCode = "brandcheck.colour_off_palette" // {colour}
	CodeSlotRequired      FindingCode = "brandcheck.slot_required"      //

	// Required blocks.
	CodeFooterMissing      FindingCode = "brandcheck.footer_missing"      // {country}
	CodeFooterLanguage     FindingCode = "brandcheck.footer_language"     // {country, locale}
	CodeUnsubscribeMissing FindingCode = "brandcheck.unsubscribe_missing" //

	// Links.
	CodeLinkInvalid    FindingCode = "brandcheck.link_invalid"     // {url}
	CodeLinkScheme     FindingCode = "brandcheck.link_scheme"      // {url, scheme}
	CodeLinkNotHTTPS   FindingCode = "brandcheck.link_not_https"   // {url}
	CodeLinkIP         FindingCode = "brandcheck.link_ip"          // {url, host}
	CodeLinkShortener  FindingCode = "brandcheck.link_shortener"   // {url, host}
	CodeLinkDomain     FindingCode = "brandcheck.link_domain"      // {url, host}
	CodeLinkTextDomain FindingCode = "brandcheck.link_text_domain" // {text, host, url}
	CodeMailtoInvalid  FindingCode = "brandcheck.mailto_invalid"   // {url}

	// Pictures and weight.
	CodeImageUnknown   FindingCode = "brandcheck.image_unknown"    // {asset}
	CodeImageRegion    FindingCode = "brandcheck.image_region"     // {asset, region}
	CodeImageImport    FindingCode = "brandcheck.image_import"     // {asset, name}
	CodeImageDensity   FindingCode = "brandcheck.image_density"    // {asset, width, height, needWidth, needHeight, density}
	CodeImageAspect    FindingCode = "brandcheck.image_aspect"     // {asset, aspect, expected}
	CodeImageAlt       FindingCode = "brandcheck.image_alt"        // {asset}
	CodeAssetExpired   FindingCode = "brandcheck.asset_expired"    // {asset, expires, date}
	CodeHTMLTooHeavy   FindingCode = "brandcheck.html_too_heavy"   // {bytes, max}
	CodeImagesTooHeavy FindingCode = "brandcheck.images_too_heavy" // {bytes, max}

	// Audience and send date.
	CodeAudienceMissing FindingCode = "brandcheck.audience_missing" //
	CodeAudienceUnknown FindingCode = "brandcheck.audience_unknown" // {audience}
	CodeAudienceRegion  FindingCode = "brandcheck.audience_region"  // {audience, region}
	CodeSendAtMissing   FindingCode = "brandcheck.send_at_missing"  //
	CodeSendAtInvalid   FindingCode = "brandcheck.send_at_invalid"  // {sendAt}
	CodeSendAtPast      FindingCode = "brandcheck.send_at_past"     // {sendAt, today}
	CodeSendAtDay       FindingCode = "brandcheck.send_at_day"      // {sendAt, day}: ISO weekday, 1 Monday … 7 Sunday
	CodeSendAtHours     FindingCode = "brandcheck.send_at_hours"    // {sendAt, from, to}
	CodeDateBeforeSend  FindingCode = "brandcheck.date_before_send" // {date, sendDate}
)

// The render rule reports the renderer's problems under the renderer's
// own codes (render.Code*): "render.raw_html_dropped" and so on, with
// their messages under "findings.render" too.

// mergeable codes are fixed the same way in every language: made alike in
// every locale, they are reported once for the campaign (see merge).
var mergeable = map[FindingCode]bool{
	CodeSlotRequired: true, CodeDateBeforeSend: true, CodeImageUnknown: true, CodeImageRegion: true, CodeImageImport: true, CodeImageDensity: true,
	CodeImageAspect: true, CodeAssetExpired: true, CodeColourOffPalette: true,
	CodeLinkInvalid: true, CodeLinkScheme: true, CodeLinkNotHTTPS: true, CodeLinkIP: true,
	CodeLinkShortener: true, CodeLinkDomain: true, CodeLinkTextDomain: true, CodeMailtoInvalid: true,
}

// Message returns a finding's message and hint in English.
func Message(f Finding) (message, hint string) {
	m, ok := english[f.Code]
	if !ok {
		return string(f.Code), ""
	}
	return fill(m[0], f), fill(m[1], f)
}

var paramRe = regexp.MustCompile(`\{(\w+)\}`)

func fill(s string, f Finding) string {
	return paramRe.ReplaceAllStringFunc(s, func(m string) string {
		name := m[1 : len(m)-1]
		if v, ok := f.Params[name]; ok {
			return v
		}
		switch name {
		case "rule":
			return f.Rule
		case "locale":
			return f.Locale
		case "slot":
			return f.Slot
		}
		return m
	})
}

// where says where a finding is, in English: "fr, headline".
func where(f Finding) string {
	var parts []string
	if f.Locale != "" {
		parts = append(parts, f.Locale)
	}
	if f.Slot != "" {
		parts = append(parts, f.Slot)
	}
	return strings.Join(parts, ", ")
}
