/* The bare libpcap read loop that bench/pcap.sh compares `yojin pcap` with: opens a file,
 * reads every packet with pcap_next_ex, touches its first and last byte and sums lengths.
 *   pcapread FILE  -> prints "packets bytes seconds" */
#include <pcap/pcap.h>
#include <stdio.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pcapread FILE\n");
        return 2;
    }
    char eb[PCAP_ERRBUF_SIZE];
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    pcap_t *p = pcap_open_offline(argv[1], eb);
    if (!p) {
        fprintf(stderr, "%s\n", eb);
        return 1;
    }
    struct pcap_pkthdr *h;
    const u_char *d;
    unsigned long long n = 0, bytes = 0;
    unsigned x = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
        n++;
        bytes += h->len;
        if (h->caplen)
            x += d[0] + d[h->caplen - 1];
    }
    pcap_close(p);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("%llu %llu %.6f %u\n", n, bytes, s, x & 1);
    return rc == PCAP_ERROR ? 1 : 0;
}
