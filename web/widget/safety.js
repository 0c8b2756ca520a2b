/*
 * The widget's two safety rules, apart from the page so that Node can test them (web/widget/tests):
 * - mask(text): personal numbers are never kept in the browser's stored history in clear. The rule is
 *   the assistant's (tanya/privacy/masking.py), checked against the same cases (tests/fixtures/masking_cases.json):
 *   a run of 10 or more digits, groups joined by up to two separators, keeps only its last 4 digits.
 * - links(line): which parts of a bot's line become clickable links (allow-listed agency domains only).
 * In the page it is window.TanyaWidgetSafety; in Node, require("./safety.js").
 */
(function (root, define) {
  "use strict";
  var api = define();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.TanyaWidgetSafety = api;
})(this, function () {
  "use strict";

  var MASK = "*";
  var MIN_DIGITS = 10;
  var KEEP_LAST = 4;
  // \p{Nd}: every Unicode decimal digit (full-width ０-９ too), as Python's \d. Separators as in masking.py.
  var DIGIT_RUN = /\p{Nd}(?:[ .\-\/()_\u3000\u00a0]{0,2}\p{Nd})+/gu;
  var DIGIT = /^\p{Nd}$/u;

  function maskRun(run) {
    var chars = Array.from(run);  // code points: a digit outside the BMP is one character, as in Python
    var total = chars.filter(function (ch) { return DIGIT.test(ch); }).length;
    if (total < MIN_DIGITS) return run;
    var seen = 0;
    return chars.map(function (ch) {
      if (!DIGIT.test(ch)) return ch;
      seen += 1;
      return seen > total - KEEP_LAST ? ch : MASK;
    }).join("");
  }

  function mask(text) {
    return String(text).replace(DIGIT_RUN, maskRun);
  }

  // Domains whose links may be clicked: the agency's own and those named on its registration page.
  var LINK_DOMAINS = ["bpjsketenagakerjaan.go.id", "bpjs.go.id", "cermati.com"];
  var URL_PATTERN = /\b((?:https?:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:\/[^\s)]*)?)/gi;

  /* The https URL to open for `candidate` when its host is an allow-listed domain or below one, else null. */
  function allowedHref(candidate) {
    var href = /^https?:\/\//i.test(candidate) ? candidate : "https://" + candidate;
    var host;
    try { host = new URL(href).hostname.toLowerCase(); } catch (e) { return null; }
    var ok = LINK_DOMAINS.some(function (d) { return host === d || host.slice(-(d.length + 1)) === "." + d; });
    return ok ? href : null;
  }

  /* One line of text as parts: {text} stays text, {text, href} becomes a link. Joined, the texts are the line. */
  function links(line) {
    var parts = [];
    var last = 0;
    line.replace(URL_PATTERN, function (match, url, offset) {
      var trimmed = url.replace(/[.,;:]+$/, "");  // the sentence's full stop is not part of the link
      var href = allowedHref(trimmed);
      if (!href) return match;
      if (offset > last) parts.push({ text: line.slice(last, offset) });
      parts.push({ text: trimmed, href: href });
      last = offset + trimmed.length;
      return match;
    });
    if (last < line.length || parts.length === 0) parts.push({ text: line.slice(last) });
    return parts;
  }

  /* `*bold*` markup (tanya/rendering/markup.py, same rule): a piece of text as parts {text, bold}.
     The asterisks touch the text and are not part of a word: "5*3" and "**" stay as they are. */
  var BOLD = /(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])/g;
  function bold(text) {
    var parts = [];
    var last = 0;
    text.replace(BOLD, function (match, inner, offset) {
      if (offset > last) parts.push({ text: text.slice(last, offset), bold: false });
      parts.push({ text: inner, bold: true });
      last = offset + match.length;
      return match;
    });
    if (last < text.length || parts.length === 0) parts.push({ text: text.slice(last), bold: false });
    return parts;
  }

  return { mask: mask, allowedHref: allowedHref, links: links, bold: bold, LINK_DOMAINS: LINK_DOMAINS.slice() };
});
