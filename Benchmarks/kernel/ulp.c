// ULP error of exp, log, sigmoid and tanh on every path against float64 (libm), on 2^24 inputs
// spread over each function's range; numpy_ulp.py measures numpy on the same inputs. Build:
//   clang -O2 -I Sources/CMybroKernels/include Benchmarks/kernel/ulp.c Sources/CMybroKernels/kernels_*.c -lm -lpthread
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "mybro_kernels.h"
static double ulp_of(double ref){ float f=(float)ref; if (isinf(f)) f = copysignf(3.4028235e38f, f); float a=fabsf(f); float next=nextafterf(a, INFINITY); return (double)next-(double)a; }
static double ref(int op,double x){switch(op){case 0:return exp(x);case 1:return log(x);case 2:return 1/(1+exp(-x));default:return tanh(x);}}
int main(){ size_t n=1<<24; float *x=malloc(n*4),*y=malloc(n*4);
 const float lo[4]={-103,1e-40f,-100,-12}, hi[4]={88.7f,3e38f,100,12};
 for(int path=0;path<=mybro_k_best_path();path++){ mybro_k_set_path(path);
 for(int op=0;op<4;op++){ for(size_t i=0;i<n;i++){ if(op==1){ x[i]=expf(logf(lo[op])+(logf(hi[op])-logf(lo[op]))*(i/(double)n)); } else x[i]=lo[op]+(hi[op]-lo[op])*(i/(double)n);}
  mybro_k_unary(op,x,y,n); double worst=0; float wx=0;
  for(size_t i=0;i<n;i++){ double r=ref(op,x[i]); double e; if (isinf(r)&&isinf(y[i])) e=0; else e=fabs(y[i]-r)/ulp_of(r); if(e>worst){worst=e;wx=x[i];}}
  printf("%s op%d max ulp %.3f at %g\n", mybro_k_path_name(path), op, worst, wx);} }
}
