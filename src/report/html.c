/* The printable self-diagnosis report: one HTML file with no external resources (inline CSS,
 * inline SVG charts, no script), laid out for A4. Sections: header, total and band, change,
 * a chart per part, the history chart, "don't know" items, weak items with advice, all
 * answers, provenance. */
#include <string.h>

#include "report.h"

#include "base/file.h"

static const char *const css =
    "@page{size:A4;margin:14mm 14mm 16mm}"
    "*{box-sizing:border-box}"
    "body{font-family:'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',"
    "'Meiryo',sans-serif;color:#1a1a1a;margin:0 auto;max-width:190mm;font-size:10.5pt;"
    "line-height:1.55;padding:8mm 0}"
    "h1{font-size:18pt;margin:0 0 2mm}h2{font-size:13pt;border-bottom:2px solid #1a4f8b;"
    "padding-bottom:1mm;margin:7mm 0 3mm;break-after:avoid}"
    ".meta{color:#444;margin:0}.meta span{margin-right:6mm}"
    ".score{display:flex;gap:6mm;align-items:center;border:1px solid #bbb;border-radius:3mm;"
    "padding:4mm;margin-top:5mm;break-inside:avoid}"
    ".total{font-size:34pt;font-weight:700;line-height:1;white-space:nowrap}"
    ".total small{font-size:13pt;font-weight:400;color:#555}"
    ".band{font-weight:700;font-size:12pt}.b1{color:#1b5e20}.b2{color:#8a6d00}"
    ".b3{color:#b34700}.b4{color:#b71c1c}"
    ".note{background:#f3f6fa;border-left:4px solid #1a4f8b;padding:2mm 3mm;margin:3mm 0}"
    ".chart{break-inside:avoid;margin:0 0 3mm}"
    "svg{max-width:100%;height:auto;display:block}"
    "table{border-collapse:collapse;width:100%;font-size:9.5pt}"
    "th,td{border:1px solid #bbb;padding:1.2mm 2mm;vertical-align:top;text-align:left}"
    "th{background:#eef2f7}tr{break-inside:avoid}"
    ".pts{text-align:right;white-space:nowrap}"
    ".items td:nth-child(1),.items td:nth-child(3),.items th{white-space:nowrap}"
    ".part{break-inside:avoid}h3{font-size:11pt;margin:4mm 0 1mm;break-after:avoid}"
    ".advice{color:#333}"
    "footer{margin-top:8mm;color:#555;font-size:8.5pt;border-top:1px solid #bbb;"
    "padding-top:2mm}"
    "@media print{body{padding:0}a{color:inherit;text-decoration:none}}";

struct ctx {
    const struct yj_report_input *in;
    struct yj_buf *o;
    enum yj_lang lang;
};

static const char *T(struct ctx *c, const char *id)
{
    return yj_tl(c->lang, id);
}

static void esc(struct ctx *c, const char *s)
{
    yj_buf_add_html(c->o, s ? s : "");
}

static void h2(struct ctx *c, const char *key)
{
    yj_buf_adds(c->o, "<h2>");
    esc(c, T(c, key));
    yj_buf_adds(c->o, "</h2>\n");
}

static int band_class(const struct yj_result *r)
{
    if (!r->band || !r->bank->nbands)
        return 4;
    size_t i = (size_t)(r->band - r->bank->bands);
    return i >= 3 ? 4 : (int)i + 1;
}

static const char *answer_colour(enum yj_answer a)
{
    switch (a) {
    case YJ_ANS_YES: return "#2e7d32";
    case YJ_ANS_PARTIAL: return "#f9a825";
    case YJ_ANS_NO: return "#c62828";
    case YJ_ANS_NA: return "#9e9e9e";
    default: return "#6a1b9a";
    }
}

/* Item bars for one part: a zero line at x0, 70 px per point, "don't know" left of zero. */
static void part_chart(struct ctx *c, int p)
{
    const struct yj_bank *b = c->in->bank;
    const struct yj_result *r = c->in->result;
    const struct yj_part *part = &b->parts[p];
    int n = part->last - part->first + 1;
    const int row = 20, top = 8, x0 = 110, unit = 70;
    int h = top + n * row + 22;
    yj_buf_printf(c->o,
                  "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
                  "viewBox=\"0 0 640 %d\" width=\"640\" height=\"%d\" role=\"img\" "
                  "aria-labelledby=\"pt%d\"><title id=\"pt%d\">",
                  h, h, p + 1, p + 1);
    esc(c, yj_text_get(&part->title, c->lang));
    yj_buf_printf(c->o, " %d/%d</title>\n", r->part_score[p], r->part_max[p]);
    /* grid: -1 .. 4 */
    for (int v = -1; v <= 4; v++) {
        int x = x0 + v * unit;
        yj_buf_printf(c->o,
                      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                      "stroke-width=\"1\"/><text x=\"%d\" y=\"%d\" font-size=\"10\" "
                      "text-anchor=\"middle\" fill=\"#555\">%d</text>\n",
                      x, top - 4, x, top + n * row, v == 0 ? "#333" : "#ddd", x,
                      top + n * row + 14, v);
    }
    for (int k = 0; k < n; k++) {
        int i = part->first - 1 + k;
        enum yj_answer a = r->answers.a[i] ? r->answers.a[i] : YJ_ANS_UNKNOWN;
        int pts = r->points[i];
        int y = top + k * row;
        int x = pts >= 0 ? x0 : x0 + pts * unit;
        int w = pts >= 0 ? pts * unit : -pts * unit;
        yj_buf_printf(c->o,
                      "<text x=\"4\" y=\"%d\" font-size=\"11\" fill=\"#222\">%s</text>"
                      "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>",
                      y + 14, b->items[i].id, x, y + 3, w ? w : 2, row - 6, answer_colour(a));
        yj_buf_printf(c->o, "<text x=\"%d\" y=\"%d\" font-size=\"10.5\" fill=\"#222\">",
                      x0 + 4 * unit + 8, y + 14);
        esc(c, T(c, yj_answer_key(a)));
        yj_buf_adds(c->o, "</text>\n");
    }
    yj_buf_adds(c->o, "</svg></div>\n");
}

/* Totals over time as bars on a -25..100 scale, bands shaded. */
static void history_chart(struct ctx *c)
{
    const struct yj_diagnosis_list *h = c->in->history;
    if (!h || h->n == 0)
        return;
    size_t first = h->n > 12 ? h->n - 12 : 0, n = h->n - first;
    const int left = 40, top = 10, height = 200, width = 600;
    const int plot_h = height - top - 40;
    /* y(v): 100 at top, -25 at the bottom of the plot. */
#define YPOS(v) (top + (100 - (v)) * plot_h / 125)
    yj_buf_printf(c->o,
                  "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
                  "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
                  "aria-labelledby=\"hist\"><title id=\"hist\">",
                  width + left, height, width + left, height);
    esc(c, T(c, "report.history"));
    yj_buf_adds(c->o, "</title>\n");
    static const char *shade[] = {"#e8f5e9", "#fffde7", "#fff3e0", "#ffebee"};
    const struct yj_bank *b = c->in->bank;
    for (size_t i = 0; i < b->nbands && i < 4; i++) {
        int y1 = YPOS(b->bands[i].max), y2 = YPOS(b->bands[i].min - 1);
        if (b->bands[i].min == b->bands[i].max)
            y2 = y1 + 2;
        yj_buf_printf(c->o,
                      "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                      "<text x=\"%d\" y=\"%d\" font-size=\"9\" text-anchor=\"end\" "
                      "fill=\"#555\">%d</text>\n",
                      left, y1, width, y2 - y1 > 0 ? y2 - y1 : 1, shade[i], left - 4, y1 + 4,
                      b->bands[i].max);
    }
    yj_buf_printf(c->o,
                  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
                  "<text x=\"%d\" y=\"%d\" font-size=\"9\" text-anchor=\"end\" "
                  "fill=\"#555\">0</text>\n",
                  left, YPOS(0), left + width, YPOS(0), left - 4, YPOS(0) + 4);
    int slot = width / (int)(n < 4 ? 4 : n);
    for (size_t k = 0; k < n; k++) {
        const struct yj_diagnosis *x = &h->v[first + k];
        int v = x->total;
        int cx = left + (int)k * slot + slot / 2;
        int y1 = v >= 0 ? YPOS(v) : YPOS(0);
        int y2 = v >= 0 ? YPOS(0) : YPOS(v);
        yj_buf_printf(c->o,
                      "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#1a4f8b\"/>"
                      "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
                      "fill=\"#111\">%d</text>",
                      cx - slot / 4, y1, slot / 2, y2 - y1 > 0 ? y2 - y1 : 1, cx,
                      (v >= 0 ? y1 : y2) - 3 + (v >= 0 ? 0 : 14), v);
        char day[11] = "";
        if (x->finished_at)
            memcpy(day, x->finished_at, strnlen(x->finished_at, 10));
        yj_buf_printf(c->o,
                      "<text x=\"%d\" y=\"%d\" font-size=\"9.5\" text-anchor=\"middle\" "
                      "fill=\"#333\">",
                      cx, height - 24);
        esc(c, day);
        yj_buf_printf(c->o,
                      "</text><text x=\"%d\" y=\"%d\" font-size=\"9.5\" "
                      "text-anchor=\"middle\" fill=\"#333\">",
                      cx, height - 10);
        esc(c, yj_report_department(x->department, c->lang));
        yj_buf_adds(c->o, "</text>\n");
    }
#undef YPOS
    yj_buf_adds(c->o, "</svg></div>\n");
}

static void item_list(struct ctx *c, const int *idx, size_t n, bool advice)
{
    const struct yj_bank *b = c->in->bank;
    const struct yj_result *r = c->in->result;
    yj_buf_adds(c->o, "<table class=\"items\"><thead><tr><th>");
    esc(c, T(c, "report.col_item"));
    yj_buf_adds(c->o, "</th><th>");
    esc(c, T(c, "report.col_question"));
    yj_buf_adds(c->o, "</th><th>");
    esc(c, T(c, "report.col_answer"));
    yj_buf_adds(c->o, "</th><th>");
    esc(c, T(c, "report.col_points"));
    yj_buf_adds(c->o, "</th></tr></thead><tbody>\n");
    for (size_t k = 0; k < n; k++) {
        const struct yj_item *it = &b->items[idx[k]];
        enum yj_answer a = r->answers.a[idx[k]];
        yj_buf_printf(c->o, "<tr><td>%s</td><td>", it->id);
        esc(c, yj_text_get(&it->question, c->lang));
        if (advice) {
            yj_buf_adds(c->o, "<div class=\"advice\"><b>");
            esc(c, T(c, "report.why"));
            yj_buf_adds(c->o, "</b> ");
            esc(c, yj_text_get(&it->why, c->lang));
            yj_buf_adds(c->o, "<br><b>");
            esc(c, T(c, "report.todo"));
            yj_buf_adds(c->o, "</b> ");
            esc(c, yj_text_get(&it->advice, c->lang));
            yj_buf_adds(c->o, "</div>");
        }
        yj_buf_adds(c->o, "</td><td>");
        esc(c, T(c, yj_answer_key(a)));
        yj_buf_printf(c->o, "</td><td class=\"pts\">%d</td></tr>\n", r->points[idx[k]]);
    }
    yj_buf_adds(c->o, "</tbody></table>\n");
}

const char *yj_report_css(void)
{
    return css;
}

/* The head of the standalone document: title, CSP, the stylesheet inline. */
static void document_head(struct ctx *c, const char *company)
{
    struct yj_buf *o = c->o;
    yj_buf_printf(o, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n",
                  yj_lang_code(c->lang));
    yj_buf_adds(o, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "style-src 'unsafe-inline'; img-src data:\">\n<title>");
    esc(c, T(c, "report.title"));
    yj_buf_adds(o, " — ");
    esc(c, company);
    yj_buf_printf(o, "</title>\n<style>%s</style></head><body>\n", css);
}

void yj_report_html(const struct yj_report_input *in, struct yj_buf *o)
{
    struct ctx c = {.in = in, .o = o, .lang = in->lang};
    const char *company = in->company && *in->company ? in->company : T(&c, "report.no_company");
    document_head(&c, company);
    yj_report_html_body(in, o);
    yj_buf_adds(o, "</body></html>\n");
}

void yj_report_html_body(const struct yj_report_input *in, struct yj_buf *o)
{
    struct ctx c = {.in = in, .o = o, .lang = in->lang};
    const struct yj_result *r = in->result;
    const struct yj_bank *b = in->bank;
    const char *company = in->company && *in->company ? in->company : T(&c, "report.no_company");

    yj_buf_adds(o, "<div class=\"report\"><header><h1>");
    esc(&c, T(&c, "report.title"));
    yj_buf_adds(o, "</h1><p class=\"meta\"><span>");
    esc(&c, company);
    yj_buf_adds(o, "</span><span>");
    esc(&c, T(&c, "report.date"));
    yj_buf_adds(o, " ");
    esc(&c, in->date);
    yj_buf_adds(o, "</span></p>");
    if (in->sources && in->sources->n) {
        yj_buf_adds(o, "<p class=\"meta\">");
        esc(&c, T(&c, "report.answered_by"));
        for (size_t i = 0; i < in->sources->n; i++) {
            const struct yj_diagnosis *x = &in->sources->v[i];
            yj_buf_adds(o, i ? "、" : " ");
            esc(&c, yj_report_department(x->department, c.lang));
            yj_buf_adds(o, " (");
            esc(&c, x->respondent);
            yj_buf_adds(o, ", ");
            if (x->finished_at)
                yj_buf_add_html_n(o, x->finished_at, strnlen(x->finished_at, 10));
            yj_buf_adds(o, ")");
        }
        yj_buf_adds(o, "</p>");
    }
    yj_buf_adds(o, "</header>\n");

    /* Total and band */
    yj_buf_printf(o, "<section class=\"score\"><div class=\"total\">%d<small> / %d</small></div>"
                     "<div><div class=\"band b%d\">",
                  r->total, 4 * YJ_ITEMS, band_class(r));
    struct yj_buf tmp;
    yj_buf_init(&tmp, 256);
    yj_report_band_range(r->band, c.lang, &tmp);
    esc(&c, yj_buf_cstr(&tmp));
    yj_buf_fini(&tmp);
    if (r->band) {
        yj_buf_adds(o, ": ");
        esc(&c, yj_text_get(&r->band->summary, c.lang));
        yj_buf_adds(o, "</div><p>");
        esc(&c, yj_text_get(&r->band->next, c.lang));
        yj_buf_adds(o, "</p>");
    } else {
        yj_buf_adds(o, "</div>");
    }
    if (in->prev) {
        yj_buf_adds(o, "<p>");
        yj_buf_printf(o, T(&c, "report.change"), in->prev->total, r->total,
                      r->total - in->prev->total);
        yj_buf_adds(o, "</p>");
    }
    yj_buf_adds(o, "</div></section>\n");
    if (in->combined) {
        yj_buf_adds(o, "<p class=\"note\">");
        esc(&c, T(&c, "report.combined"));
        yj_buf_adds(o, "</p>\n");
    }
    if (r->nna) {
        yj_buf_adds(o, "<p class=\"note\">");
        yj_buf_printf(o, T(&c, "report.na_note"), (int)r->nna);
        yj_buf_adds(o, "</p>\n");
    }

    /* Parts */
    h2(&c, "report.parts");
    for (int p = 0; p < YJ_PARTS; p++) {
        yj_buf_printf(o, "<div class=\"part\"><h3>%d. ", p + 1);
        esc(&c, yj_text_get(&b->parts[p].title, c.lang));
        yj_buf_printf(o, " — %d / %d</h3>\n", r->part_score[p], r->part_max[p]);
        part_chart(&c, p);
        yj_buf_adds(o, "</div>\n");
    }

    if (in->history && in->history->n) {
        h2(&c, "report.history");
        history_chart(&c);
    }

    h2(&c, "report.unknown");
    if (r->nunknown) {
        yj_buf_adds(o, "<p>");
        esc(&c, T(&c, "report.unknown_intro"));
        yj_buf_adds(o, "</p>\n");
        item_list(&c, r->unknown, r->nunknown, false);
    } else {
        yj_buf_adds(o, "<p>");
        esc(&c, T(&c, "report.none"));
        yj_buf_adds(o, "</p>\n");
    }

    h2(&c, "report.weak");
    if (r->nweak) {
        yj_buf_adds(o, "<p>");
        esc(&c, T(&c, "report.weak_intro"));
        yj_buf_adds(o, "</p>\n");
        item_list(&c, r->weak, r->nweak, true);
    } else {
        yj_buf_adds(o, "<p>");
        esc(&c, T(&c, "report.none"));
        yj_buf_adds(o, "</p>\n");
    }

    h2(&c, "report.all");
    int all[YJ_ITEMS];
    for (int i = 0; i < YJ_ITEMS; i++)
        all[i] = i;
    item_list(&c, all, YJ_ITEMS, false);

    yj_buf_adds(o, "<footer><p>");
    esc(&c, T(&c, "report.source"));
    yj_buf_adds(o, " ");
    esc(&c, b->source);
    yj_buf_adds(o, " (");
    esc(&c, T(&c, "report.as_of"));
    yj_buf_adds(o, " ");
    esc(&c, b->as_of);
    yj_buf_adds(o, ")</p><p>");
    esc(&c, T(&c, "report.footer"));
    yj_buf_printf(o, " yojin %s</p></footer></div>\n", yj_version());
}
