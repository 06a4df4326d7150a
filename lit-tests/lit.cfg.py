# -*- Python -*-
# lit configuration for the prism pass tests.
#
# Run from the build tree (the site config gives the paths):
#   python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv build/lit-tests
# or `ctest -R lit` in build/.

import os
import sys

import lit.formats

config.name = "prism"
# lit's internal shell: portable, and pipefail is on.
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".ll", ".test", ".c", ".cpp", ".f90"]
config.excludes = ["Inputs", "CMakeLists.txt", "README.md"]
config.test_source_root = os.path.dirname(__file__)
if not hasattr(config, "prism_obj_root"):
    lit_config.fatal(
        "no site configuration: run lit on the build tree (build/lit-tests)"
    )
config.test_exec_root = config.prism_obj_root

# FileCheck, not, count and opt come from LLVM 19, first in PATH.
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])]
)
# The wrappers honour these; make sure a user's setting cannot leak in.
for var in ("PRISM_CC", "PRISM_CXX", "PRISM_FC"):
    config.environment.pop(var, None)


def tool(name):
    path = os.path.join(config.llvm_tools_dir, name)
    if not os.path.exists(path):
        lit_config.fatal(f"cannot find {path}")
    return path


plugin = config.prism_plugin
if not os.path.exists(plugin):
    lit_config.fatal(f"cannot find the pass plugin {plugin} (build PrismPass)")
if os.path.getmtime(config.prism_pass_source) > os.path.getmtime(plugin):
    lit_config.warning(
        f"{plugin} is older than {config.prism_pass_source}: rebuild it "
        "(cmake --build build --target PrismPass) or test the old pass"
    )

# Longest names first: lit applies substitutions in this order.
config.substitutions.extend(
    [
        # opt with the plugin loaded, running only the prism pass, IR to stdout.
        ("%opt-prism", f"{tool('opt')} -load-pass-plugin={plugin} -passes=prism -S"),
        # opt with the plugin loaded, any pipeline (e.g. -passes=prism,verify).
        ("%opt-plugin", f"{tool('opt')} -load-pass-plugin={plugin}"),
        ("%llc", tool("llc")),
        ("%prism-fc", os.path.join(config.prism_bin_dir, "prism-fc")),
        ("%prism-cxx", os.path.join(config.prism_bin_dir, "prism-c++")),
        ("%prism-cc", os.path.join(config.prism_bin_dir, "prism-cc")),
        # The operation-matrix generator, see Inputs/gen.py.
        (
            "%gen",
            f"{sys.executable} "
            + os.path.join(config.test_source_root, "Inputs", "gen.py"),
        ),
        ("%python", sys.executable),
    ]
)

# prism-fc is generated only when flang-new-19 was found (package flang-19);
# the Fortran tests say `REQUIRES: flang`.
if os.path.exists(os.path.join(config.prism_bin_dir, "prism-fc")):
    config.available_features.add("flang")
