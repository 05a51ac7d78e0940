"""Runs a Keras .h5 Sequential model forward with numpy alone, as Keras defines each layer.

Usage: keras_h5_forward.py MODEL.h5 INPUT.f32 N. Reads N float32 samples in the model's input shape
and prints the outputs as JSON. Only what the notebook's networks use: Dropout (identity at inference),
Dense, Conv2D (valid, stride 1, channels last), Activation, MaxPooling2D (valid, stride = pool), Flatten.
An independent reading of the file: it follows model_config and the weight datasets, not tfjs.
"""
import json
import sys

import h5py
import numpy as np

ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0),
    "softmax": lambda x: np.exp(x - x.max(-1, keepdims=True)) / np.exp(x - x.max(-1, keepdims=True)).sum(-1, keepdims=True),
}


def weights(f, name):
    group = f["model_weights"][name]
    return [np.asarray(group[n.decode("utf8")], dtype=np.float64) for n in group.attrs["weight_names"]]


def main(path, input_path, count):
    with h5py.File(path, "r") as f:
        config = json.loads(f.attrs["model_config"].decode("utf8"))
        layers = config["config"]["layers"]
        shape = layers[0]["config"]["batch_input_shape"][1:]
        x = np.fromfile(input_path, dtype="<f4").astype(np.float64).reshape([count, *shape])
        for layer in layers:
            kind, c = layer["class_name"], layer["config"]
            if kind == "Dense":
                kernel, bias = weights(f, c["name"])
                x = ACTIVATIONS[c["activation"]](x @ kernel + bias)
            elif kind == "Conv2D":
                kernel, bias = weights(f, c["name"])
                kh, kw = kernel.shape[:2]
                h, w = x.shape[1] - kh + 1, x.shape[2] - kw + 1
                out = np.zeros((x.shape[0], h, w, kernel.shape[3]))
                for i in range(kh):
                    for j in range(kw):
                        out += np.einsum("nhwc,cf->nhwf", x[:, i:i + h, j:j + w, :], kernel[i, j])
                x = ACTIVATIONS[c["activation"]](out + bias)
            elif kind == "Activation":
                x = ACTIVATIONS[c["activation"]](x)
            elif kind == "MaxPooling2D":
                ph, pw = c["pool_size"]
                h, w = x.shape[1] // ph, x.shape[2] // pw
                x = x[:, :h * ph, :w * pw, :].reshape(x.shape[0], h, ph, w, pw, x.shape[3]).max(axis=(2, 4))
            elif kind == "Flatten":
                x = x.reshape(x.shape[0], -1)
            elif kind != "Dropout":
                raise SystemExit(f"unexpected layer {kind}")
    print(json.dumps(x.tolist()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
