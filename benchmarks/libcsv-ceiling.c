// libcsv alone, empty callbacks: the ceiling for any libcsv-only reader on this machine.
// Run: bash benchmarks/libcsv-ceiling.sh FILE.csv
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <pthread.h>
static size_t fields=0;
static void cb1(void *s, size_t len, void *data){ (*(size_t*)data)++; }
static void cb2(int c, void *data){}
typedef struct { char *buf; size_t len; size_t n; } job;
static void* run(void *arg){ job *j=arg; struct csv_parser p; csv_init(&p, CSV_STRICT|CSV_REPALL_NL); csv_parse(&p,j->buf,j->len,cb1,cb2,&j->n); csv_fini(&p,cb1,cb2,&j->n); csv_free(&p); return 0;}
int main(int argc,char**argv){
  FILE*f=fopen(argv[1],"rb"); fseek(f,0,SEEK_END); long n=ftell(f); fseek(f,0,SEEK_SET);
  char*buf=malloc(n); fread(buf,1,n,f);
  struct timespec a,b; clock_gettime(CLOCK_MONOTONIC,&a);
  job j={buf,n,0}; run(&j);
  clock_gettime(CLOCK_MONOTONIC,&b); double t=(b.tv_sec-a.tv_sec)+(b.tv_nsec-a.tv_nsec)*1e-9;
  printf("1 thread: %.3f s %.0f MB/s fields %zu\n",t,n/t/1e6,j.n);
  // two threads on halves (cut at newline)
  long mid=n/2; while(buf[mid]!='\n') mid++; mid++;
  job j1={buf,mid,0}, j2={buf+mid,n-mid,0}; pthread_t t1,t2;
  clock_gettime(CLOCK_MONOTONIC,&a);
  pthread_create(&t1,0,run,&j1); pthread_create(&t2,0,run,&j2); pthread_join(t1,0); pthread_join(t2,0);
  clock_gettime(CLOCK_MONOTONIC,&b); t=(b.tv_sec-a.tv_sec)+(b.tv_nsec-a.tv_nsec)*1e-9;
  printf("2 threads: %.3f s %.0f MB/s\n",t,n/t/1e6);
}
