"""Debian's jupyter_kernel_test suite (python3-jupyter-kernel-test 0.4.5) against this kernel, with every
sample it uses set. Only test_pager is skipped: the kernel has no pager (payloads are deprecated).
Run by kernel-protocol.test.ts."""
import unittest

import jupyter_kernel_test

import kernel_client as kt


class SentenceTfjsKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = kt.KERNEL_NAME
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = "console.log('hello, world')"
    code_stderr = "console.error('to stderr')"

    completion_samples = [
        {"text": "Math.SQRT", "matches": {"SQRT1_2", "SQRT2", "sqrt"}},
        {"text": "const helloCompletion = 1;\nhelloCompl", "matches": {"helloCompletion"}},
    ]
    complete_code_samples = ["1", "const a = 1;", "function f() {\n  return 1;\n}", "await Promise.resolve(1)"]
    incomplete_code_samples = ["function f() {", "const xs = [1, 2,", "if (true) {\n  console.log(1);"]
    invalid_code_samples = ["const = 1;", "1 +* 2", ")"]

    code_generate_error = "throw new Error('boom')"

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "'a' + 'b'", "result": "'ab'"},
        {"code": "import { html } from 'sentence-tfjs-kernel';\nhtml('<b>hi</b>')", "mime": "text/html", "result": "<b>hi</b>"},
    ]
    code_display_data = [
        {"code": "import { display, html } from 'sentence-tfjs-kernel';\ndisplay(html('<b>x</b>'))", "mime": "text/html"},
        {"code": "import { display } from 'sentence-tfjs-kernel';\ndisplay({ a: 1 })", "mime": "text/plain"},
    ]

    code_history_pattern = "6*7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"
    code_clear_output = "import { clearOutput } from 'sentence-tfjs-kernel';\nclearOutput()"


if __name__ == "__main__":
    unittest.main()
