#!/usr/bin/python3
"""Test oracle: onnx.checker (full check) on a model file; exit 0 when valid."""
import sys

import onnx

m = onnx.load(sys.argv[1])
onnx.checker.check_model(m, full_check=True)
print("opset", m.opset_import[0].version, "inputs", [i.name for i in m.graph.input], "ok")
