package dev.switchboard.routing.legacy;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Exercises the engine before real traffic. The fallback runtime interprets, and the first use of
 * each builtin loads and links its node classes: a cold {@code new Date().getHours()} took 160 ms
 * and a cold {@code toLocaleString()} 560 ms in measurements here, far over the 50 ms per-call
 * limit. Touching the builtins that predicate-style functions use, once, at startup, moves that
 * cost out of the first webhooks. Builtins not touched here may still be slow on first use.
 */
final class WarmUp {

    private static final String BODY = """
            const s = String(webhook_data.device_id) + `-${homey_data.deviceId}`;
            const parts = s.split('-').map(p => p.trim().toLowerCase()).filter(Boolean);
            const joined = parts.join(',').replace(/,/g, ';').toUpperCase().substring(0, 10).slice(-5);
            const re = /^([a-z]+)(\\d*)$/i.exec(parts[0] || '');
            const matchesRe = /a/.test(s) || s.match(/b/g) !== null || s.search('c') >= 0;
            const n = Number.parseInt('42', 10) + parseFloat('1.5') + Math.max(1, Math.round(Math.random())) + Number('7');
            const obj = { ...homey_data, extra: [1, 2, 3].reduce((a, b) => a + b, 0) };
            const { deviceId, extra } = obj;
            const keys = Object.keys(obj).concat(Object.values(obj).map(String), Object.entries(obj).flat().map(String));
            const set = new Set(keys);
            const map = new Map([[1, 'a']]);
            map.set(2, 'b');
            const json = JSON.stringify({ s, joined, re, n, keys: [...set], m: [...map.entries()], has: map.has(1) });
            const back = JSON.parse(json);
            const d = new Date(0);
            const iso = d.toISOString() + d.getHours() + d.getDay() + d.toLocaleString() + d.toString() + Date.now() + new Date('2020-01-01').getTime();
            const loc = (1234.5).toLocaleString() + 'a'.localeCompare('b') + (12).toFixed(2) + String(12.5) + (255).toString(16);
            const inc = ['x', 'y'].includes('x') && 'abc'.includes('b') && 'abc'.startsWith('a') && 'abc'.endsWith('c')
                && 'abc'.indexOf('b') === 1 && Array.isArray(parts) && ['a'].some(x => x === 'a') && ['a'].every(x => x === 'a');
            const found = [{ id: 1 }, { id: 2 }].find(x => x.id === 2)?.id ?? 0;
            let depth = 0;
            function recurse() { depth++; recurse(); }
            try { recurse(); } catch (e) { depth = -depth; }
            try { null.x; } catch (e) { if (!(e instanceof TypeError)) throw e; }
            try { undefinedName; } catch (e) { if (!(e instanceof ReferenceError)) throw e; }
            for (const k in obj) { if (typeof obj[k] === 'undefined') break; }
            for (let i = 0; i < 10; i++) { switch (i % 3) { case 0: break; default: continue; } }
            const sorted = [3, 1, 2].sort((a, b) => a - b).slice(0).reverse().indexOf(1) + [1, [2]].flat().length;
            const str = 'x'.repeat(3).padStart(5, '-') + encodeURIComponent('a b') + decodeURIComponent('a%20b') + escape('a');
            if (homey_data.deviceId === 'throw') throw new Error('warm-up');
            return typeof deviceId === 'string' && back.s === s && inc && found === 2 && depth < 0 && extra === 6
                && sorted >= 0 && iso.length > 0 && loc.length > 0 && str.length > 0 && matchesRe !== undefined
                && homey_data.deviceId === webhook_data.device_id;
            """;

    private WarmUp() {
    }

    static void run(SandboxRuntime runtime, Watchdog watchdog, FunctionCompiler compiler) {
        FunctionCompiler.Compiled compiled = compiler.compile(BODY);
        if (!compiled.valid()) {
            throw new IllegalStateException("warm-up function does not compile: " + compiled.error());
        }
        long generous = TimeUnit.SECONDS.toNanos(10);
        for (int round = 0; round < 3; round++) {
            new RequestRun(runtime, watchdog, compiled.source(), generous, System.nanoTime() + generous, false)
                    .run("{\"device_id\":\"a\"}",
                            List.of("{\"deviceId\":\"a\"}", "{\"deviceId\":\"b\"}", "{\"deviceId\":\"throw\"}", "null"));
        }
    }
}
