#ifndef KERN_H
#define KERN_H
#ifdef __cplusplus
extern "C" {
#endif
double kern_harmonic(int n);
unsigned long long kern_sig(void);
#ifdef __cplusplus
}
#endif
#endif
