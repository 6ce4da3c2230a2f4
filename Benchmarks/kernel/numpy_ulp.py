#!/usr/bin/env python3
"""numpy's ULP error on the inputs ulp.c uses (sigmoid as 1/(1+exp(-x)) in float32)."""
import numpy as np
n=1<<24; i=np.arange(n)/n
def ulp(r):
    f=np.abs(r.astype(np.float32)); f=np.where(np.isinf(f), np.float32(3.4028235e38), f)
    return np.nextafter(f, np.float32(np.inf)).astype(np.float64)-f.astype(np.float64)
cases={'exp':((-103+(88.7+103)*i).astype(np.float32), np.exp, np.exp),
 'log':(np.exp(np.log(1e-40)+(np.log(3e38)-np.log(1e-40))*i).astype(np.float32), np.log, np.log),
 'sigmoid':((-100+200*i).astype(np.float32), lambda x: np.float32(1)/(np.float32(1)+np.exp(-x)), lambda x: 1/(1+np.exp(-x))),
 'tanh':((-12+24*i).astype(np.float32), np.tanh, np.tanh)}
for k,(x,f32,f64) in cases.items():
    with np.errstate(all='ignore'):
        y=f32(x); r=f64(x.astype(np.float64)); e=np.abs(y.astype(np.float64)-r)/ulp(r); e[np.isinf(r)&np.isinf(y)]=0
    print(k, 'numpy max ulp', e.max(), x[e.argmax()])
