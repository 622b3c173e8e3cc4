"""The kernel through a real client (Debian's jupyter_client): errors of every kind leave it alive,
interrupts, signatures, rich display, the SDK from a cell. Run by kernel-client.test.ts."""
import os
import tempfile
import time
import unittest

from jupyter_client.session import Session

import kernel_client as kt


class KernelClientTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.log_path = os.path.join(os.environ.get("JUPYTER_RUNTIME_DIR") or tempfile.mkdtemp(), "kernel-client-test.log")
        os.makedirs(os.path.dirname(cls.log_path), exist_ok=True)
        cls.km, cls.kc = kt.start(cls.log_path)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel()

    def run_ok(self, code, timeout=60):
        reply, outputs = kt.execute(self.kc, code, timeout=timeout)
        self.assertEqual(reply["status"], "ok", f"{code!r} failed: {reply.get('ename')}: {reply.get('evalue')}")
        return outputs

    def result(self, code, mime="text/plain", timeout=60):
        outputs = self.run_ok(code, timeout)
        results = [c for kind, c in outputs if kind == "execute_result"]
        self.assertEqual(len(results), 1, outputs)
        return results[0]["data"][mime]

    def assert_alive(self):
        self.assertTrue(self.km.is_alive())
        self.assertEqual(self.result("6 * 7"), "42")

    def run_error(self, code, timeout=30):
        reply, outputs = kt.execute(self.kc, code, timeout=timeout)
        self.assertEqual(reply["status"], "error", outputs)
        errors = [c for kind, c in outputs if kind == "error"]
        self.assertEqual(len(errors), 1, outputs)
        self.assertEqual(errors[0]["ename"], reply["ename"])
        return errors[0]

    # --- user code never kills the kernel -------------------------------------------------------

    def test_throw_reports_the_cell_line(self):
        self.run_ok("function fail(why: string): never {\n  throw new RangeError(why);\n}")
        err = self.run_error("const before = 1;\n\nfail('boom ' + before);")
        self.assertEqual((err["ename"], err["evalue"]), ("RangeError", "boom 1"))
        text = kt.plain("\n".join(err["traceback"]))
        self.assertRegex(text, r"at fail \(Cell In\[\d+\], line 2\)")
        self.assertRegex(text, r"at Cell In\[\d+\], line 3")
        self.assertIn("----> 2   throw new RangeError(why);", text)
        self.assert_alive()

    def test_unhandled_rejection_fails_its_cell(self):
        err = self.run_error("Promise.reject(new TypeError('later'));\n1")
        self.assertEqual((err["ename"], err["evalue"]), ("TypeError", "later"))
        self.assert_alive()

    def test_exception_in_a_timer_fails_the_running_cell(self):
        err = self.run_error("setTimeout(() => { throw new Error('from a timer'); }, 10);\nawait new Promise((r) => setTimeout(r, 300));")
        self.assertEqual(err["evalue"], "from a timer")
        self.assertIn("line 1", kt.plain("\n".join(err["traceback"])))
        self.assert_alive()

    def test_syntax_error_points_at_line_and_column(self):
        err = self.run_error("const ok = 1;\nlet q = (;")
        self.assertEqual((err["ename"], err["evalue"]), ("SyntaxError", "Expression expected."))
        text = kt.plain("\n".join(err["traceback"]))
        self.assertIn("line 2, column 10: error TS1109", text)
        self.assertIn("----> 2 let q = (;", text)
        self.assert_alive()

    def test_type_error_is_reported_before_running(self):
        err = self.run_error("(globalThis as any).ranTypeError = true;\nconst s: string = 1;")
        self.assertEqual(err["ename"], "TSError")
        self.assertEqual(err["evalue"], "Type 'number' is not assignable to type 'string'.")
        self.assertEqual(self.result("typeof (globalThis as any).ranTypeError"), "'undefined'")

    def test_non_error_throw(self):
        err = self.run_error("throw 'plain string';")
        self.assertEqual((err["ename"], err["evalue"]), ("Uncaught", "'plain string'"))

    def test_declarations_of_a_failed_cell_stay_usable(self):
        self.run_error("const kept = 41;\nthrow new Error('after kept');")
        self.assertEqual(self.result("kept + 1"), "42")

    def test_failed_cell_aborts_the_queued_ones(self):
        first = self.kc.execute("await new Promise((r) => setTimeout(r, 300));\nthrow new Error('first');")
        second = self.kc.execute("(globalThis as any).secondRan = true;")
        self.assertEqual(kt.shell_reply(self.kc, first, 30)["content"]["status"], "error")
        self.assertEqual(kt.shell_reply(self.kc, second, 30)["content"]["status"], "aborted")
        self.assertEqual(self.result("typeof (globalThis as any).secondRan"), "'undefined'")

    # --- interrupts -----------------------------------------------------------------------------

    def started(self, msg_id, settle=0.5):
        """Waits until the kernel took the request up (execute_input), then a little for the cell to run."""
        self.assertEqual(kt.collect(self.kc, msg_id, 30, until="execute_input"), [])
        time.sleep(settle)

    def interrupted(self, msg_id):
        reply = kt.shell_reply(self.kc, msg_id, 30)["content"]
        self.assertEqual((reply["status"], reply["ename"]), ("error", "KeyboardInterrupt"))

    def test_sigint_stops_a_synchronous_loop(self):
        msg_id = self.kc.execute("let spins = 0;\nwhile (true) { spins++; }")
        self.started(msg_id)
        self.km.interrupt_kernel()  # interrupt_mode "signal": SIGINT
        self.interrupted(msg_id)
        self.assert_alive()

    def test_interrupt_request_abandons_a_pending_promise(self):
        msg_id = self.kc.execute("await new Promise(() => {});")
        self.started(msg_id)
        self.kc.control_channel.send(self.kc.session.msg("interrupt_request", {}))
        reply = self.kc.get_control_msg(timeout=10)
        self.assertEqual((reply["msg_type"], reply["content"]["status"]), ("interrupt_reply", "ok"))
        self.interrupted(msg_id)
        self.assert_alive()

    def test_interrupt_listeners_stop_a_task_at_its_next_step(self):
        msg_id = self.kc.execute(
            "const host = (globalThis as any)[Symbol.for('sentence-tfjs.jupyter-host')];\n"
            "const task = { steps: 0, stopped: false };\n"
            "const off = host.onInterrupt(() => { task.stopped = true; });\n"
            "console.log('subscribed');\n"
            "while (!task.stopped) { task.steps++; await new Promise((r) => setTimeout(r, 20)); }\n"
            "off();"
        )
        self.assertEqual(kt.collect(self.kc, msg_id, 60, until="stream"), [("stream", {"name": "stdout", "text": "subscribed\n"})])
        time.sleep(0.2)
        self.km.interrupt_kernel()
        self.interrupted(msg_id)
        steps = int(self.result("task.steps"))
        time.sleep(0.3)
        self.assertEqual(self.result("task.stopped"), "true")
        self.assertEqual(int(self.result("task.steps")), steps)
        self.assertGreater(steps, 0)

    # --- signatures -----------------------------------------------------------------------------

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def test_messages_with_a_wrong_or_missing_signature_are_dropped(self):
        socket = self.kc.shell_channel.socket
        for key in (b"not-the-key", b""):
            forger = Session(key=key, username=self.kc.session.username)
            forger.send(socket, "execute_request", {"code": "(globalThis as any).forged = true;", "silent": False, "store_history": True,
                                                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
            self.assertTrue(kt.no_shell_reply(self.kc, 2))
        self.assertEqual(self.result("typeof (globalThis as any).forged"), "'undefined'")
        log = self.log()
        self.assertIn("dropped a message on shell: invalid or replayed signature", log)
        self.assertIn("dropped a message on shell: missing signature", log)

    def test_a_replayed_message_is_dropped(self):
        session = self.kc.session
        msg = session.msg("execute_request", {"code": "(globalThis as any).replays = ((globalThis as any).replays ?? 0) + 1;", "silent": False,
                                              "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        frames = session.serialize(msg)
        socket = self.kc.shell_channel.socket
        socket.send_multipart(frames)
        kt.shell_reply(self.kc, msg["header"]["msg_id"], 30)
        socket.send_multipart(frames)
        self.assertTrue(kt.no_shell_reply(self.kc, 2))
        self.assertEqual(self.result("(globalThis as any).replays"), "1")

    # --- rich display ---------------------------------------------------------------------------

    def test_dataframe_mime_bundle(self):
        outputs = self.run_ok("import * as dfd from 'danfojs-node';\nnew dfd.DataFrame({ a: [1, 2.5, 3], b: ['x', '<y>', 'z'] })", timeout=90)
        bundle = [c for kind, c in outputs if kind == "execute_result"][0]["data"]
        self.assertEqual(bundle["text/plain"], "     a    b\n0    1    x\n1  2.5  <y>\n2    3    z")
        self.assertIn("<th>a</th><th>b</th>", bundle["text/html"])
        self.assertIn("<tr><th>1</th><td>2.5</td><td>&lt;y&gt;</td></tr>", bundle["text/html"])
        self.assertIn("<p>3 rows × 2 columns</p>", bundle["text/html"])
        big = self.run_ok("const cols: Record<string, number[]> = {};\nfor (let c = 0; c < 30; c++) cols['c' + c] = Array.from({ length: 50 }, (_, r) => r * 100 + c);\nnew dfd.DataFrame(cols)")
        html = [c for kind, c in big if kind == "execute_result"][0]["data"]["text/html"]
        self.assertEqual(html.count("<tr>"), 20 + 1)  # 10 + 10 rows and the ellipsis row (the header <tr> has a style)
        self.assertIn("<th>c9</th><th>…</th><th>c20</th>", html)
        self.assertIn("<td>4929</td></tr></tbody>", html)
        self.assertIn("<p>50 rows × 30 columns</p>", html)
        series = self.result("new dfd.Series([4, 5], { columns: ['s'] })")
        self.assertEqual(series, "   s\n0  4\n1  5")

    def test_mimebundle_symbol_and_method(self):
        outputs = self.run_ok(
            "({ [Symbol.for('jupyter.mimebundle')]: () => ({ 'text/html': '<b>fig</b>', 'application/vnd.plotly.v1+json': { data: [{ y: [1, 2] }], layout: {} } }) })"
        )
        bundle = [c for kind, c in outputs if kind == "execute_result"][0]["data"]
        self.assertEqual(bundle["text/html"], "<b>fig</b>")
        self.assertEqual(bundle["application/vnd.plotly.v1+json"], {"data": [{"y": [1, 2]}], "layout": {}})
        self.assertIn("text/plain", bundle)
        self.assertEqual(self.result("({ toMimeBundle: () => ({ 'text/plain': 'mine', 'text/markdown': '**m**' }) })", mime="text/markdown"), "**m**")
        tensor = self.result("import * as tf from '@tensorflow/tfjs';\ntf.tensor([[1, 2], [3, 4]])")
        self.assertEqual(tensor, "Tensor float32 [2, 2]\n[[1, 2],\n [3, 4]]")

    def test_display_and_updates_by_display_id(self):
        outputs = self.run_ok(
            "import { display, newDisplay, clearOutput, html } from 'sentence-tfjs-kernel';\n"
            "display(html('<i>a</i>'));\n"
            "const handle = newDisplay();\n"
            "handle.update('one');\n"
            "handle.update(html('<b>two</b>'));\n"
            "clearOutput(true);"
        )
        kinds = [kind for kind, _ in outputs]
        self.assertEqual(kinds, ["display_data", "display_data", "update_display_data", "clear_output"])
        self.assertEqual(outputs[0][1]["data"], {"text/html": "<i>a</i>", "text/plain": "<i>a</i>"})
        shown, updated = outputs[1][1], outputs[2][1]
        self.assertEqual(shown["data"], {"text/plain": "'one'"})
        self.assertEqual(shown["transient"]["display_id"], updated["transient"]["display_id"])
        self.assertEqual(updated["data"]["text/html"], "<b>two</b>")
        self.assertEqual(outputs[3][1], {"wait": True})

    def test_host_display_bundle_routes_to_the_cell(self):
        outputs = self.run_ok(
            "const h = (globalThis as any)[Symbol.for('sentence-tfjs.jupyter-host')];\n"
            "h.displayBundle({ 'text/plain': 'bar 0%' }, { displayId: 'progress-1', update: false });\n"
            "await new Promise((r) => setTimeout(r, 20));\n"
            "h.displayBundle({ 'text/plain': 'bar 100%' }, { displayId: 'progress-1', update: true });\n"
            "h.clearOutput();"
        )
        self.assertEqual(outputs, [
            ("display_data", {"data": {"text/plain": "bar 0%"}, "metadata": {}, "transient": {"display_id": "progress-1"}}),
            ("update_display_data", {"data": {"text/plain": "bar 100%"}, "metadata": {}, "transient": {"display_id": "progress-1"}}),
            ("clear_output", {"wait": False}),
        ])

    def test_streams_keep_their_order_around_displays(self):
        outputs = self.run_ok("import { display } from 'sentence-tfjs-kernel';\nconsole.log('one');\nconsole.log('two');\ndisplay(3);\nvoid process.stderr.write('four\\n');")
        self.assertEqual(outputs, [
            ("stream", {"name": "stdout", "text": "one\ntwo\n"}),
            ("display_data", {"data": {"text/plain": "3"}, "metadata": {}, "transient": {}}),
            ("stream", {"name": "stderr", "text": "four\n"}),
        ])

    def test_user_expressions(self):
        reply, _ = kt.execute(self.kc, "const ue = 20;", user_expressions={"double": "ue * 2", "bad": "nope("})
        self.assertEqual(reply["user_expressions"]["double"], {"status": "ok", "data": {"text/plain": "40"}, "metadata": {}})
        self.assertEqual(reply["user_expressions"]["bad"]["status"], "error")

    # --- the SDK --------------------------------------------------------------------------------

    def test_sdk_imports_from_a_cell(self):
        self.assertEqual(self.result("import { ready, SentenceTransformer } from 'sentence-tfjs';\n[typeof ready, typeof SentenceTransformer].join(' ')"), "'function function'")

    def test_interrupted_training_stops_at_a_step_and_leaves_the_model_usable(self):
        self.run_ok(
            "import { SentenceTransformer, StaticEmbedding, defaultTokenizer, Trainer, Dataset, losses } from 'sentence-tfjs';\n"
            "const model = new SentenceTransformer([StaticEmbedding.random(defaultTokenizer(), { dim: 8, seed: 1 })]);\n"
            "const pairs = Dataset.fromColumns({ anchor: ['a cat', 'a dog', 'the sun', 'the moon'], positive: ['cat', 'dog', 'sun', 'moon'] });\n"
            "const trainer = new Trainer({ model, trainDataset: pairs, loss: new losses.MultipleNegativesRankingLoss(model), args: { maxSteps: 1000000, perDeviceTrainBatchSize: 2 } });\n"
            "let trained: { stopped: boolean; globalStep: number } | undefined;",
            timeout=120,
        )
        msg_id = self.kc.execute("trained = await trainer.train();")
        shown = kt.collect(self.kc, msg_id, 60, until="display_data")  # the progress bar: training runs
        time.sleep(0.5)
        self.km.interrupt_kernel()
        self.interrupted(msg_id)
        outputs = shown + kt.collect(self.kc, msg_id, 10)
        progress = [c for kind, c in outputs if kind in ("display_data", "update_display_data")]
        self.assertEqual(outputs[0][0], "display_data")  # the progress bar: one display, then updates of it
        self.assertEqual({c["transient"]["display_id"] for c in progress}, {progress[0]["transient"]["display_id"]})
        self.assertEqual(outputs[-1][0], "error")
        # The next cell runs once the Trainer has finished its step: stopped, and the model encodes.
        self.assertEqual(self.result("[trained!.stopped, trained!.globalStep > 0, (await model.encode(['a cat'])).length]"), "[ true, true, 1 ]")


if __name__ == "__main__":
    unittest.main()
