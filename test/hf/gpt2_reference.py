# GPT-2 as Hugging Face's GPT2LMHeadModel computes it (Conv1D x @ W + b, fused c_attn split q|k|v,
# pre-LN, gelu_new, tied head), in numpy, reading only config.json and model.safetensors under
# GPT-2's names: an independent check that the export means the same model to Python transformers.
# Usage: python3 gpt2_reference.py FOLDER '[[ids...], ...]'  -> JSON logits [B][T][V] on stdout.
import json
import struct
import sys

import numpy as np


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    base = 8 + n
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        assert meta["dtype"] == "F32", (name, meta["dtype"])
        a, b = meta["data_offsets"]
        out[name] = np.frombuffer(data[base + a : base + b], dtype="<f4").reshape(meta["shape"])
    return out, header.get("__metadata__", {})


def layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


ACT = {
    "gelu_new": lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))),
}


def forward(cfg, w, ids):
    eps, act, nh = cfg["layer_norm_epsilon"], ACT[cfg["activation_function"]], cfg["n_head"]
    t = len(ids)
    h = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][np.arange(t)]
    c = h.shape[-1]
    hd = c // nh
    mask = np.triu(np.full((t, t), -np.inf), 1)
    for i in range(cfg["n_layer"]):
        p = f"transformer.h.{i}."
        a = layer_norm(h, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = a @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = (qkv[:, j * c : (j + 1) * c].reshape(t, nh, hd).transpose(1, 0, 2) for j in range(3))
        s = q @ k.transpose(0, 2, 1) / np.sqrt(hd) + mask
        s = np.exp(s - s.max(-1, keepdims=True))
        y = (s / s.sum(-1, keepdims=True)) @ v
        y = y.transpose(1, 0, 2).reshape(t, c)
        h = h + y @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        m = layer_norm(h, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = act(m @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        h = h + m @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    h = layer_norm(h, w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], eps)
    assert cfg["tie_word_embeddings"] and "lm_head.weight" not in w
    return h @ w["transformer.wte.weight"].T


def main():
    folder, seqs = sys.argv[1], json.loads(sys.argv[2])
    with open(f"{folder}/config.json") as f:
        cfg = json.load(f)
    assert cfg["model_type"] == "gpt2"
    w, meta = load_safetensors(f"{folder}/model.safetensors")
    assert meta.get("format") == "pt"
    w = {k: v.astype(np.float64) for k, v in w.items()}
    json.dump([forward(cfg, w, np.array(s)).tolist() for s in seqs], sys.stdout)


main()
