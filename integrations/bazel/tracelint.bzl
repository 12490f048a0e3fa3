"""tracelint under Bazel.

tracelint_aspect runs tracelint on every C, C++ and CUDA source of each cc_library, cc_binary and
cc_test it reaches (along deps), one action per source with declared inputs (the source, the headers
of its compilation context, tracelint, its rules, the configuration) and two outputs: the file's
summaries and its results (--export-summaries, --export-results). tracelint_report merges them
(`tracelint merge`) into one report; with fail_on_findings, error-level findings fail the build.

    bazel build //:tracelint_report
    bazel build //... --aspects=@tracelint//:tracelint.bzl%tracelint_aspect --output_groups=tracelint
"""

TracelintInfo = provider(
    doc = "The summaries and results files of a target and of its deps.",
    fields = {"exports": "depset of File"},
)

_SOURCE_EXTENSIONS = ["c", "cc", "cpp", "cxx", "c++", "C", "cu"]

def _compile_flags(ctx, compilation_context, is_cxx):
    flags = list(ctx.fragments.cpp.copts)
    if is_cxx:
        flags += ctx.fragments.cpp.cxxopts
    flags += [ctx.expand_make_variables("copts", f, {}) for f in getattr(ctx.rule.attr, "copts", [])]
    defines = compilation_context.defines.to_list() + getattr(compilation_context, "local_defines", depset()).to_list()
    flags += ["-D" + d for d in defines]
    for d in compilation_context.includes.to_list():
        flags += ["-I", d]
    for d in compilation_context.quote_includes.to_list():
        flags += ["-iquote", d]
    for d in compilation_context.system_includes.to_list():
        flags += ["-isystem", d]
    return flags

def _tracelint_aspect_impl(target, ctx):
    own = []
    if CcInfo in target and ctx.rule.kind in ["cc_library", "cc_binary", "cc_test"]:
        compilation_context = target[CcInfo].compilation_context
        tool = ctx.file._tracelint
        rules = ctx.files._rules
        config = ctx.file._config
        catalogue = [f for f in rules if f.basename == "catalogue.json"][0]
        for src_target in getattr(ctx.rule.attr, "srcs", []):
            for src in src_target.files.to_list():
                if src.extension not in _SOURCE_EXTENSIONS:
                    continue
                stem = "%s.tracelint/%s" % (ctx.label.name, src.short_path)
                summaries = ctx.actions.declare_file(stem + ".summaries.json")
                results = ctx.actions.declare_file(stem + ".results.json")
                args = ctx.actions.args()
                args.add(tool)
                args.add(src)
                args.add("--quiet")
                args.add("--output=/dev/null")
                args.add("--config-file=" + config.path)
                args.add("--export-summaries=" + summaries.path)
                args.add("--export-results=" + results.path)
                args.add("--")
                args.add_all(_compile_flags(ctx, compilation_context, src.extension != "c"))
                ctx.actions.run_shell(
                    # 1 (error-level findings) and 3 (the file did not parse) are results the merge
                    # reports; 2 (a usage or configuration error) fails the action.
                    command = '"$@"; rc=$?; [ $rc = 0 ] || [ $rc = 1 ] || [ $rc = 3 ] || exit $rc',
                    arguments = [args],
                    inputs = depset([src, tool, config] + rules, transitive = [compilation_context.headers]),
                    outputs = [summaries, results],
                    env = {"TRACELINT_RULES_DIR": catalogue.dirname},
                    mnemonic = "Tracelint",
                    progress_message = "tracelint %s" % src.short_path,
                )
                own += [summaries, results]
    transitive = [d[TracelintInfo].exports for d in getattr(ctx.rule.attr, "deps", []) if TracelintInfo in d]
    exports = depset(own, transitive = transitive)
    return [TracelintInfo(exports = exports), OutputGroupInfo(tracelint = exports)]

_TOOL_ATTRS = {
    "_tracelint": attr.label(default = Label("//:tracelint"), allow_single_file = True, cfg = "exec"),
    "_rules": attr.label(default = Label("//:rules"), allow_files = True, cfg = "exec"),
}

tracelint_aspect = aspect(
    implementation = _tracelint_aspect_impl,
    attr_aspects = ["deps"],
    fragments = ["cpp"],
    attrs = dict(_TOOL_ATTRS, _config = attr.label(default = Label("//:config"), allow_single_file = True)),
)

def _tracelint_report_impl(ctx):
    exports = depset(transitive = [t[TracelintInfo].exports for t in ctx.attr.targets])
    report = ctx.actions.declare_file("%s.%s" % (ctx.label.name, ctx.attr.format))
    rules = ctx.files._rules
    catalogue = [f for f in rules if f.basename == "catalogue.json"][0]
    args = ctx.actions.args()
    args.add(ctx.file._tracelint)
    args.add("merge")
    args.add("--quiet")
    args.add("--format=" + ctx.attr.format)
    if ctx.attr.docs_url:
        args.add("--docs-url=" + ctx.attr.docs_url)
    if ctx.attr.repo_root:
        args.add("--repo-root=" + ctx.attr.repo_root)
    args.add_all(exports)
    # The report is written first; when findings fail the build, they are printed as text too.
    command = '"$@" --output="$REPORT"; rc=$?; [ $rc = 0 ] && exit 0; '
    if ctx.attr.fail_on_findings:
        command += ('[ $rc = 1 ] || [ $rc = 3 ] || exit $rc; "$@" --format=text >&2; ' +
                    'echo "tracelint: error-level findings or files that did not parse; report: $REPORT" >&2; exit 1')
    else:
        command += '[ $rc = 1 ] || [ $rc = 3 ] || exit $rc'
    ctx.actions.run_shell(
        command = command,
        arguments = [args],
        inputs = depset([ctx.file._tracelint] + rules, transitive = [exports]),
        outputs = [report],
        env = {"TRACELINT_RULES_DIR": catalogue.dirname, "REPORT": report.path},
        mnemonic = "TracelintMerge",
        progress_message = "tracelint merge for %s" % ctx.label,
    )
    return [DefaultInfo(files = depset([report]))]

tracelint_report = rule(
    implementation = _tracelint_report_impl,
    doc = "One tracelint report over the targets and their deps, merged from one action per source.",
    attrs = dict(
        _TOOL_ATTRS,
        targets = attr.label_list(aspects = [tracelint_aspect], doc = "cc_library, cc_binary and cc_test targets"),
        format = attr.string(default = "sarif", values = ["sarif", "json", "text"]),
        fail_on_findings = attr.bool(
            default = False,
            doc = "Fail the build on error-level findings (WarningsAsErrors in the configuration makes warnings count)",
        ),
        docs_url = attr.string(doc = "--docs-url of the report (rule links)"),
        repo_root = attr.string(doc = "--repo-root of the report (SARIF URIs relative to it)"),
    ),
)
