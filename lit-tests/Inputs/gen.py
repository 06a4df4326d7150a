#!/usr/bin/env python3
"""Emit a one-function LLVM IR module for the prism operation matrix tests.

usage: gen.py OP TYPE N [--features=STR] [--fmf=FLAGS]

  OP    fadd fsub fmul fdiv   binary operators         (%a, %b)
        fma fmuladd           llvm.fma / llvm.fmuladd  (%a, %b, %c)
        sqrt                  llvm.sqrt                (%a)
        sqrt-libm             call to libm sqrt/sqrtf  (%a, scalar only)
        fptrunc               fptrunc TYPE=double to float (%a)
        reduce-fadd           llvm.vector.reduce.fadd  (%start, %v)
        reduce-fmul           llvm.vector.reduce.fmul  (%start, %v)
  TYPE  float | double (element type of the operands)
  N     1 for a scalar, otherwise the number of vector lanes

The function is always `@test` and its result `%r`, so that the tests can
share one set of CHECK lines across the whole type x width matrix:

  define <4 x float> @test(<4 x float> %a, <4 x float> %b) {
    %r = fadd <4 x float> %a, %b
    ret <4 x float> %r
  }

--features adds "target-features"="STR" to the function (e.g. +fma for the
fused llvm.fmuladd lowering); --fmf puts fast-math flags on the operation
(e.g. reassoc for the tree-shaped reductions).
"""
import argparse
import sys

BINARY = {"fadd", "fsub", "fmul", "fdiv"}
INTRINSIC = {"fma": 3, "fmuladd": 3, "sqrt": 1}
LIBM = {"float": "sqrtf", "double": "sqrt"}
SUFFIX = {"float": "f32", "double": "f64"}


def ty(elt, n):
    return elt if n == 1 else f"<{n} x {elt}>"


def mangle(elt, n):
    return SUFFIX[elt] if n == 1 else f"v{n}{SUFFIX[elt]}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("op")
    p.add_argument("type", choices=["float", "double"])
    p.add_argument("n", type=int)
    p.add_argument("--features", default=None)
    p.add_argument("--fmf", default="")
    a = p.parse_args()

    op, elt, n = a.op, a.type, a.n
    t = ty(elt, n)
    fmf = f"{a.fmf} " if a.fmf else ""
    attrs = " #0" if a.features is not None else ""
    decls = []

    if op in BINARY:
        params = [f"{t} %a", f"{t} %b"]
        body = f"%r = {op} {fmf}{t} %a, %b"
        ret = t
    elif op in INTRINSIC:
        args = ["%a", "%b", "%c"][: INTRINSIC[op]]
        params = [f"{t} {x}" for x in args]
        name = f"llvm.{op}.{mangle(elt, n)}"
        body = f"%r = call {fmf}{t} @{name}({', '.join(params)})"
        decls.append(f"declare {t} @{name}({', '.join([t] * len(args))})")
        ret = t
    elif op == "sqrt-libm":
        if n != 1:
            sys.exit("sqrt-libm is scalar only")
        params = [f"{t} %a"]
        body = f"%r = call {fmf}{t} @{LIBM[elt]}({t} %a)"
        decls.append(f"declare {t} @{LIBM[elt]}({t})")
        ret = t
    elif op == "fptrunc":
        if elt != "double":
            sys.exit("fptrunc: TYPE must be double (the source type)")
        params = [f"{t} %a"]
        ret = ty("float", n)
        body = f"%r = fptrunc {fmf}{t} %a to {ret}"
    elif op in ("reduce-fadd", "reduce-fmul"):
        if n == 1:
            sys.exit("reductions need a vector")
        kind = op.split("-")[1]
        name = f"llvm.vector.reduce.{kind}.{mangle(elt, n)}"
        params = [f"{elt} %start", f"{t} %v"]
        body = f"%r = call {fmf}{elt} @{name}({', '.join(params)})"
        decls.append(f"declare {elt} @{name}({elt}, {t})")
        ret = elt
    else:
        sys.exit(f"unknown operation '{op}'")

    print(f"define {ret} @test({', '.join(params)}){attrs} {{")
    print(f"  {body}")
    print(f"  ret {ret} %r")
    print("}")
    for d in decls:
        print(d)
    if a.features is not None:
        print(f'attributes #0 = {{ "target-features"="{a.features}" }}')


if __name__ == "__main__":
    main()
