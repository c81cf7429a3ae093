/* Writes a classic pcap of N TCP SYN packets (Ethernet/IPv4, 54 bytes each) from ever-new
 * source addresses and ports to 192.0.2.10:80, one microsecond apart: a SYN flood for
 * bench/synflood.sh. Deterministic: the same N gives the same file.
 *   synflood N OUT.pcap */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4); /* pcap record headers are in the writer's byte order */
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: synflood N OUT.pcap\n");
        return 2;
    }
    unsigned long long n = strtoull(argv[1], NULL, 10);
    FILE *f = fopen(argv[2], "wb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    uint8_t gh[24] = {0};
    put32(gh, 0xa1b2c3d4);
    gh[4] = 2;
    gh[6] = 4;
    put32(gh + 16, 65535);
    put32(gh + 20, 1);
    fwrite(gh, 1, sizeof gh, f);
    uint8_t rec[16 + 54];
    uint8_t *e = rec + 16;
    static const uint8_t eth[14] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 8, 0};
    memcpy(e, eth, 14);
    uint32_t x = 2463534242u; /* xorshift32 */
    for (unsigned long long i = 0; i < n; i++) {
        uint64_t us = 1700000000ull * 1000000 + i;
        put32(rec, (uint32_t)(us / 1000000));
        put32(rec + 4, (uint32_t)(us % 1000000));
        put32(rec + 8, 54);
        put32(rec + 12, 54);
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        uint8_t *ip = e + 14;
        memset(ip, 0, 40);
        ip[0] = 0x45;
        ip[3] = 40;
        ip[8] = 64;
        ip[9] = 6;
        ip[12] = (uint8_t)(10 + (x >> 24) % 200); /* spoofed source */
        ip[13] = (uint8_t)(x >> 16);
        ip[14] = (uint8_t)(x >> 8);
        ip[15] = (uint8_t)x;
        ip[16] = 192;
        ip[18] = 2;
        ip[19] = 10;
        uint8_t *t = ip + 20;
        uint16_t sport = (uint16_t)(1024 + (x >> 20)); /* 1024..5119 */
        t[0] = (uint8_t)(sport >> 8);
        t[1] = (uint8_t)sport;
        t[3] = 80;
        t[4] = (uint8_t)(x >> 3);
        t[12] = 0x50;
        t[13] = 0x02;
        t[14] = 0xff;
        t[15] = 0xff;
        fwrite(rec, 1, sizeof rec, f);
    }
    if (fclose(f) != 0) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
