/* Static assets, embedded in the binary at build time (assets.c is generated from
 * web/assets/ by cmake/embed.cmake), plus the report's stylesheet. */
#include <string.h>

#include "report/report.h"
#include "web_int.h"

struct yj_asset {
    const char *name;
    const unsigned char *data;
    size_t size;
};
extern const struct yj_asset yj_assets[];
extern const size_t yj_nassets;

static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot && strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    if (dot && strcmp(dot, ".js") == 0)
        return "text/javascript; charset=utf-8";
    if (dot && strcmp(dot, ".svg") == 0)
        return "image/svg+xml";
    return "application/octet-stream";
}

void get_static(struct yj_req *rq, struct yj_resp *rs)
{
    const char *name = rq->path + strlen("/static/");
    if (strcmp(name, "report.css") == 0) {
        rs->content_type = type_of(name);
        rs->cacheable = true;
        yj_buf_adds(&rs->body, yj_report_css());
        return;
    }
    for (size_t i = 0; i < yj_nassets; i++) {
        if (strcmp(yj_assets[i].name, name) == 0) {
            rs->content_type = type_of(name);
            rs->cacheable = true;
            yj_buf_add(&rs->body, yj_assets[i].data, yj_assets[i].size);
            return;
        }
    }
    rs->status = 404;
    rs->content_type = "text/plain; charset=utf-8";
    yj_buf_adds(&rs->body, "404\n");
}
