// The thread cut-over: sum (memory-bound), add and tanh (compute-bound) on one thread and on
// two, from 2^12 to 2^23 floats, best of 30. Build against the library's C sources:
//   clang -O2 -I Sources/CMybroKernels/include Benchmarks/kernel/cutover.c Sources/CMybroKernels/kernels_*.c -lm -lpthread
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include "mybro_kernels.h"
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
volatile double sink;
int main(){ size_t N=1<<23; float *x=malloc(N*4),*y=malloc(N*4); for(size_t i=0;i<N;i++) x[i]=(float)(i%1000)/1000;
 mybro_k_set_thread_cutover(1024);
 for(size_t n=1<<12;n<=N;n<<=1){ double r[2][3];
  for(int th=1;th<=2;th++){ mybro_k_set_threads(th);
   for(int k=0;k<3;k++){ double best=1e9; for(int rep=0;rep<30;rep++){ double t=now(); if(k==0) sink=mybro_k_sum(x,n); else if(k==1) mybro_k_binary(0,x,x,y,n); else mybro_k_unary(3,x,y,n); t=now()-t; if(t<best)best=t;} r[th-1][k]=best; } }
  printf("n=2^%2d sum %6.1f/%6.1f us  add %7.1f/%7.1f  tanh %7.1f/%7.1f\n", __builtin_ctzl(n), r[0][0]*1e6,r[1][0]*1e6,r[0][1]*1e6,r[1][1]*1e6,r[0][2]*1e6,r[1][2]*1e6);}
}
