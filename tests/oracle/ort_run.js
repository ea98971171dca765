// Test oracle: runs an ONNX model with ONNX Runtime on rows from a JSON file and prints the
// outputs as JSON. Usage: node ort_run.js MODEL.onnx INPUT.json
const fs = require('fs');
const ort = require('onnxruntime-node');
(async () => {
  const [model, input] = process.argv.slice(2);
  const spec = JSON.parse(fs.readFileSync(input, 'utf8'));
  const session = await ort.InferenceSession.create(model);
  const t = new ort.Tensor('float32', Float32Array.from(spec.data), [spec.rows, spec.cols]);
  const out = await session.run({[session.inputNames[0]]: t});
  console.log(JSON.stringify({name: session.outputNames[0], dims: out[session.outputNames[0]].dims,
                              data: Array.from(out[session.outputNames[0]].data)}));
})().catch((e) => { console.error(String(e)); process.exit(1); });
