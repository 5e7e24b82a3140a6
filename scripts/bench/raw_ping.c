/* raw_ping: the floor for podstack's client. N `GET /_ping` requests over a Unix socket, from C threads,
 * each with one reused libcurl easy handle (keep-alive), printed as one JSON line like podstack-bench's:
 * {"requests":N,"seconds":S,"rate":R}.
 *
 *   raw_ping SOCKET_PATH COUNT CONCURRENCY [WARMUP]
 *
 * Each thread sends WARMUP pings (default 20) before the clock starts, so that its connection is open,
 * exactly as podstack-bench warms its workers. Build: gcc -O2 -o raw_ping raw_ping.c -lcurl -lpthread */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct worker {
    const char *socket_path;
    long share;
    long warmup;
    pthread_barrier_t *ready;
    int failed;
    pthread_t thread;
};

static size_t discard(char *data, size_t size, size_t count, void *user) {
    (void)data;
    (void)user;
    return size * count;
}

static int ping(CURL *curl) {
    long status = 0;
    if (curl_easy_perform(curl) != CURLE_OK) return -1;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    return status == 200 ? 0 : -1;
}

static void *run(void *arg) {
    struct worker *w = arg;
    CURL *curl = curl_easy_init();
    if (!curl) {
        w->failed = 1;
        pthread_barrier_wait(w->ready);
        pthread_barrier_wait(w->ready);
        return NULL;
    }
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, w->socket_path);
    curl_easy_setopt(curl, CURLOPT_URL, "http://d/_ping");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    for (long i = 0; i < w->warmup && !w->failed; i++)
        if (ping(curl) != 0) w->failed = 1;
    pthread_barrier_wait(w->ready); /* all warm */
    pthread_barrier_wait(w->ready); /* clock started */
    for (long i = 0; i < w->share && !w->failed; i++)
        if (ping(curl) != 0) w->failed = 1;
    curl_easy_cleanup(curl);
    return NULL;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: raw_ping SOCKET_PATH COUNT CONCURRENCY [WARMUP]\n");
        return 64;
    }
    const char *path = argv[1];
    if (strncmp(path, "unix://", 7) == 0) path += 7;
    long count = atol(argv[2]), threads = atol(argv[3]), warmup = argc > 4 ? atol(argv[4]) : 20;
    if (count < 1 || threads < 1 || threads > count || warmup < 0) {
        fprintf(stderr, "raw_ping: COUNT and CONCURRENCY must be positive, CONCURRENCY <= COUNT\n");
        return 64;
    }
    curl_global_init(CURL_GLOBAL_ALL);
    struct worker *workers = calloc((size_t)threads, sizeof *workers);
    pthread_barrier_t ready;
    pthread_barrier_init(&ready, NULL, (unsigned)threads + 1);
    for (long t = 0; t < threads; t++) {
        workers[t] = (struct worker){path, count / threads + (t < count % threads ? 1 : 0), warmup, &ready, 0, 0};
        pthread_create(&workers[t].thread, NULL, run, &workers[t]);
    }
    pthread_barrier_wait(&ready);
    double start = now();
    pthread_barrier_wait(&ready);
    int failed = 0;
    for (long t = 0; t < threads; t++) {
        pthread_join(workers[t].thread, NULL);
        failed |= workers[t].failed;
    }
    double seconds = now() - start;
    if (failed) {
        fprintf(stderr, "raw_ping: a request failed (is the socket %s answering?)\n", path);
        return 1;
    }
    printf("{\"requests\":%ld,\"seconds\":%.6f,\"rate\":%.1f}\n", count, seconds, count / seconds);
    return 0;
}
