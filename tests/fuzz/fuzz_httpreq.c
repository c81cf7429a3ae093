/* Fuzz target: HTTP/1.x request and response heads (yj_http_parse_request,
 * yj_http_parse_response) and form bodies (yj_http_form_scan). Accepted heads lie within the
 * input, and every text field is a C string within its buffer. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "proto/proto.h"

#define FIELD_OK(f) (strnlen((f), sizeof(f)) < sizeof(f))

static void form_ok(const struct yj_http_form *f)
{
    if (!FIELD_OK(f->user) || !FIELD_OK(f->user_field) ||
        f->n_password_fields > YJ_HTTP_MAX_PWFIELDS ||
        (f->n_password_fields && !f->has_password))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct yj_http_req q;
    static struct yj_http_resp r;
    static struct yj_http_form f;
    size_t used = 0;
    if (yj_http_parse_request(data, size, &q, &used) == YJ_PROTO_DONE) {
        if (q.head_len > size || used < q.head_len || q.head_len + q.body_len > size ||
            !FIELD_OK(q.http_method) || !FIELD_OK(q.url) || !FIELD_OK(q.protocol) ||
            !FIELD_OK(q.hostname) || !FIELD_OK(q.http_user_agent) ||
            !FIELD_OK(q.http_refer) || !FIELD_OK(q.http_content_type) ||
            !FIELD_OK(q.auth_scheme) || !FIELD_OK(q.auth_user) || !q.http_method[0])
            abort();
        form_ok(&q.form);
    }
    if (yj_http_parse_response(data, size, &r) == YJ_PROTO_DONE) {
        if (r.head_len > size || r.status < 100 || r.status > 999 || !FIELD_OK(r.protocol) ||
            !FIELD_OK(r.status_msg) || !FIELD_OK(r.http_content_type) ||
            !FIELD_OK(r.location))
            abort();
    }
    yj_http_form_scan(data, size, &f);
    form_ok(&f);
    return 0;
}
