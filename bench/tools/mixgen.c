/* Builds the mixed capture of bench/pcap.sh: every Ethernet capture given, in the order
 * given, replayed N times into one classic pcap. Copy k moves each IPv4 address's second
 * octet and each IPv6 address's third byte by k (so every copy's flows are new flows) and
 * places the files one after another in time (each copy shifted after the previous one, a
 * second between files). Captures of another link type are skipped and named on stderr.
 * Deterministic: the same inputs and N give the same file.
 *   mixgen N OUT.pcap IN... */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pkt {
    int64_t us; /* relative to the file's first packet */
    uint32_t caplen, len;
    uint8_t *d;
};

struct file {
    struct pkt *v;
    size_t n;
    int64_t span;
};

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static int load(const char *path, struct file *f)
{
    char eb[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, eb);
    if (!p) {
        fprintf(stderr, "mixgen: %s\n", eb);
        return -1;
    }
    if (pcap_datalink(p) != DLT_EN10MB) {
        fprintf(stderr, "mixgen: skipped (not Ethernet): %s\n", path);
        pcap_close(p);
        return 0;
    }
    struct pcap_pkthdr *h;
    const u_char *d;
    size_t cap = 0;
    int64_t first = -1;
    while (pcap_next_ex(p, &h, &d) == 1) {
        int64_t us = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
        if (first < 0)
            first = us;
        if (f->n == cap) {
            cap = cap ? cap * 2 : 256;
            f->v = realloc(f->v, cap * sizeof *f->v);
            if (!f->v)
                abort();
        }
        struct pkt *k = &f->v[f->n++];
        k->us = us - first < 0 ? 0 : us - first;
        k->caplen = h->caplen;
        k->len = h->len;
        k->d = malloc(h->caplen ? h->caplen : 1);
        if (!k->d)
            abort();
        memcpy(k->d, d, h->caplen);
        if (k->us > f->span)
            f->span = k->us;
    }
    pcap_close(p);
    return 1;
}

static void shift(uint8_t *d, uint32_t n, unsigned k)
{
    if (n < 14)
        return;
    unsigned type = (unsigned)d[12] << 8 | d[13];
    uint8_t *ip = d + 14;
    n -= 14;
    if (type == 0x0800 && n >= 20) {
        ip[13] = (uint8_t)(ip[13] + k);
        ip[17] = (uint8_t)(ip[17] + k);
    } else if (type == 0x86dd && n >= 40) {
        ip[10] = (uint8_t)(ip[10] + k);
        ip[26] = (uint8_t)(ip[26] + k);
    }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: mixgen N OUT.pcap IN...\n");
        return 2;
    }
    unsigned copies = (unsigned)strtoul(argv[1], NULL, 10);
    size_t nf = (size_t)(argc - 3);
    struct file *fs = calloc(nf, sizeof *fs);
    for (size_t i = 0; i < nf; i++)
        if (load(argv[3 + i], &fs[i]) < 0)
            return 1;
    FILE *o = fopen(argv[2], "wb");
    if (!o) {
        perror(argv[2]);
        return 1;
    }
    setvbuf(o, NULL, _IOFBF, 1 << 20);
    uint8_t gh[24] = {0};
    put32(gh, 0xa1b2c3d4);
    gh[4] = 2;
    gh[6] = 4;
    put32(gh + 16, 262144);
    put32(gh + 20, DLT_EN10MB);
    fwrite(gh, 1, sizeof gh, o);
    int64_t cursor = 1700000000LL * 1000000;
    uint8_t *buf = malloc(262144);
    for (unsigned k = 0; k < copies; k++) {
        for (size_t i = 0; i < nf; i++) {
            for (size_t j = 0; j < fs[i].n; j++) {
                struct pkt *p = &fs[i].v[j];
                int64_t us = cursor + p->us;
                uint8_t rh[16];
                put32(rh, (uint32_t)(us / 1000000));
                put32(rh + 4, (uint32_t)(us % 1000000));
                put32(rh + 8, p->caplen);
                put32(rh + 12, p->len);
                memcpy(buf, p->d, p->caplen);
                shift(buf, p->caplen, k);
                fwrite(rh, 1, 16, o);
                fwrite(buf, 1, p->caplen, o);
            }
            cursor += fs[i].span + 1000000;
        }
    }
    if (fclose(o) != 0) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
