// Package brandcheck runs a library release's rule pack and brand kit on a
// campaign (every locale: its values, the rendered HTML and the text
// version) and on asset packs, and returns deterministic findings with a
// receipt of what was checked.
//
// # Use
//
//	ls, err := brandcheck.Prepare(ctx, c, ix, layout, renderer, nil) // renders every locale
//	rep := brandcheck.Check(brandcheck.Input{Campaign: c, Release: ix, Locales: ls,
//		ImageBytes: sizes, Today: "2026-11-23"})
//	rep.Ready                // no error finding: sign-off, submission and export may go on
//	rep.Receipt              // hashes of the rules, the campaign and the findings
//	brandcheck.ToPack(rep.Findings) // for an asset pack's manifest and report.html
//
// Prepare's nil url gives pictures "cid:<picture key>" addresses: the hub
// re-running a check to compare receipts must use the same addresses as
// the desktop (the HTML's weight is a finding's param). CheckPack checks an
// asset pack's pictures on their own.
//
// # Findings
//
// A finding names its rule, severity, locale ("" for the whole campaign),
// slot (a template slot, "footer", "unsubscribe", "audience", "sendAt", or
// "" for the whole email), a code and a hint code (i18n keys under
// "findings" in the UI's locale files, messages.go has the English) and
// params. Findings are sorted by severity (errors first), locale, slot,
// rule, code and params, duplicates dropped; a finding made alike in every
// locale of a campaign with several, for a picture, a link, a colour or an
// empty required slot, is reported once with locale "". Check never reads
// a clock or depends on map or input order, so the same campaign and rule
// pack give byte-identical findings (FindingsJSON).
//
// # Rule kinds
//
// Rules come from the release's rule pack (library.RulePack); params are
// decoded strictly: an unknown param, a wrong type or a bad value makes the
// rule an error finding brandcheck.rule_invalid, a kind this version does
// not know a warning brandcheck.rule_unknown. A rule's locales limit it to
// those locales (rules about the whole campaign ignore them).
//
//	restricted_words  {words, phrases}: whole words, case and diacritics
//	                  folded ("DERNIERE CHANCE" is "dernière chance"), in
//	                  each slot's text, then the text version
//	restricted_regex  {pattern | patterns}: RE2 on the text with diacritics
//	                  stripped and every space a plain space; case is the
//	                  pattern's own ((?i))
//	placeholders      {patterns}: leftovers such as "[City]", "Lorem ipsum",
//	                  "TODO", also in link slots
//	required_block    {block: "legal_footer" | "unsubscribe"}: the region's
//	                  country's legal footer, in the locale, in the rendered
//	                  HTML and the text version; a link to the unsubscribe URL
//	link_domains      {https_only, allow, subdomains, deny_shorteners
//	                  (true), shorteners, deny_ip (true), check_text (true)}:
//	                  every link of the rendered email, mapped to its slot
//	                  (the template's own links are HQ's and not checked);
//	                  "www." is the host itself, "*.host" allows subdomains;
//	                  mailto links must hold well-formed addresses; link text
//	                  naming another site than the link's is reported
//	image_quality     {min_density (2), aspect_tolerance (0.02), require_alt
//	                  (true)}: source pixels, once cropped, for the width the
//	                  layout shows the picture at times the density; a manual
//	                  crop of the slot's shape; alt text in the locale
//	length            {slot | slots, max, min}: characters as the reader sees
//	                  them (a choice's words, a Markdown slot's text)
//	tone              {max_exclamations, max_caps_words, max_emoji,
//	                  min_caps_letters (3), allow_caps}: per slot
//	palette           {only_palette (true), extra}: hex colours typed into
//	                  slots, and colours of the rendered email that neither
//	                  the palette nor the template's own HTML has (a campaign
//	                  has no colour fields yet)
//	untranslated      {}: text slots showing another locale's words
//	audience          {required (true)}: chosen, and a scope of the region
//	send_window       {days (ISO 1–7), from, to ("HH:MM")}: chosen, not
//	                  before Today, on an allowed day and hour; and the
//	                  campaign's own dates (date slots: an event, the end of
//	                  an offer) not before the send date
//	html_weight       {max_bytes (Gmail's 102 KiB), max_image_bytes}: each
//	                  locale's HTML; its renditions' bytes (Input.ImageBytes)
//	asset_expiry      {}: pictures past their last day of use on the send
//	                  date (Today when later)
//
// Built-in rules run unless the pack declares a rule of their kind:
//
//	outpost:required-slots (required_slots, error): required slots that
//	                       resolve to nothing; pictures the release lacks
//	outpost:image-region   (image_region, error): pictures not allowed in
//	                       the campaign's region
//	outpost:image-import   (image_import, warning): the office's own photos
//	                       (library.Asset.Local) not in Input.ApprovedImports
//	outpost:render         (render, warning): what the renderer dropped or
//	                       stood in for, under the renderer's codes
//
// Problems with the check's input (no campaign, an unknown template or
// region, a locale not rendered, an invalid Today) are error findings of
// rule "outpost:check".
package brandcheck
