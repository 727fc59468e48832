const d = 384, n = 48380, nq = 64;
const m = new Float32Array(n * d).map(() => Math.random() - 0.5);
const qs = Array.from({ length: nq }, () => new Float32Array(d).map(() => Math.random() - 0.5));
function a() {
  let acc = 0;
  for (let s = 0; s < nq; s += 8) {
    const block = qs.slice(s, s + 8);
    for (let row = 0; row < n; row++) {
      const base = row * d;
      for (let b = 0; b < block.length; b++) {
        const q = block[b]!;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, j = 0;
        for (; j + 3 < d; j += 4) { s0 += m[base + j]! * q[j]!; s1 += m[base + j + 1]! * q[j + 1]!; s2 += m[base + j + 2]! * q[j + 2]!; s3 += m[base + j + 3]! * q[j + 3]!; }
        acc += s0 + s1 + s2 + s3;
      }
    }
  }
  return acc;
}
function b() {
  let acc = 0;
  const B = 8;
  const Q = new Float32Array(d * B);
  for (let s = 0; s < nq; s += B) {
    for (let bb = 0; bb < B; bb++) { const q = qs[s + bb]!; for (let j = 0; j < d; j++) Q[j * B + bb] = q[j]!; }
    for (let row = 0; row < n; row++) {
      const base = row * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      for (let j = 0; j < d; j++) {
        const x = m[base + j]!; const o = j * 8;
        s0 += x * Q[o]!; s1 += x * Q[o + 1]!; s2 += x * Q[o + 2]!; s3 += x * Q[o + 3]!;
        s4 += x * Q[o + 4]!; s5 += x * Q[o + 5]!; s6 += x * Q[o + 6]!; s7 += x * Q[o + 7]!;
      }
      acc += s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
    }
  }
  return acc;
}
function c() {
  // Float64 matrix copy? test plain arrays as Float64Array
  return 0;
}
for (const [name, f] of [['a', a], ['b', b], ['a', a], ['b', b]] as const) { const t = performance.now(); f(); console.log(name, ((performance.now() - t) / nq).toFixed(2), 'ms/query'); }
void c;
