#!/usr/bin/env python3
"""Writes tiny/ (a random-weight BERT in the layout of all-MiniLM-L6-v2: config.json, vocab.txt,
model.safetensors) and tiny-expected.json (its mean-pooled, normalised embeddings, computed here
with numpy, following Hugging Face's BertModel in float64), so that the Swift encoder is tested
on every machine, with or without the real model. Run once; the outputs are committed.

    python3 Tests/Fixtures/embedding/make_tiny_model.py
"""
import json
import math
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "run", "the", "test", "##s", "stop", "build", "please", ",", "!"]
HIDDEN, HEADS, LAYERS, INTERMEDIATE, POSITIONS, TYPES = 8, 2, 2, 16, 16, 2
# Sentences as ids (the Swift tokenizer's own tests check the ids): [CLS] ... [SEP].
SENTENCES = {"run the tests": [2, 4, 5, 6, 7, 3], "please stop!": [2, 10, 8, 12, 3], "build": [2, 9, 3]}


def tensors():
    rng = np.random.default_rng(20261129)
    t = {}

    def add(name, *shape, scale=0.5):
        values = rng.standard_normal(shape) * scale
        # Layer norms near the identity, as trained ones are: random gains and offsets
        # would swamp the input and make every sentence's embedding alike.
        if "LayerNorm.weight" in name:
            values = 1 + 0.2 * values
        elif "LayerNorm.bias" in name:
            values = 0.1 * values
        t[name] = values.astype(np.float32)

    add("embeddings.word_embeddings.weight", len(VOCAB), HIDDEN)
    add("embeddings.position_embeddings.weight", POSITIONS, HIDDEN)
    add("embeddings.token_type_embeddings.weight", TYPES, HIDDEN)
    add("embeddings.LayerNorm.weight", HIDDEN)
    add("embeddings.LayerNorm.bias", HIDDEN)
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}."
        for name in ("query", "key", "value"):
            add(p + f"attention.self.{name}.weight", HIDDEN, HIDDEN)
            add(p + f"attention.self.{name}.bias", HIDDEN)
        add(p + "attention.output.dense.weight", HIDDEN, HIDDEN)
        add(p + "attention.output.dense.bias", HIDDEN)
        add(p + "attention.output.LayerNorm.weight", HIDDEN)
        add(p + "attention.output.LayerNorm.bias", HIDDEN)
        add(p + "intermediate.dense.weight", INTERMEDIATE, HIDDEN)
        add(p + "intermediate.dense.bias", INTERMEDIATE)
        add(p + "output.dense.weight", HIDDEN, INTERMEDIATE)
        add(p + "output.dense.bias", HIDDEN)
        add(p + "output.LayerNorm.weight", HIDDEN)
        add(p + "output.LayerNorm.bias", HIDDEN)
    return t


def save_safetensors(path, t):
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name in sorted(t):
        blob = t[name].astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t[name].shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    encoded = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))


def layer_norm(x, g, b, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(((x - mean) ** 2).mean(-1, keepdims=True) + eps) * g + b


def embed(t, ids):
    w = {k: v.astype(np.float64) for k, v in t.items()}
    n, d = len(ids), HIDDEN // HEADS
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
    x = layer_norm(x + w["embeddings.token_type_embeddings.weight"][0], w["embeddings.LayerNorm.weight"],
                   w["embeddings.LayerNorm.bias"])
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}."

        def linear(h, name):
            return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q, k, v = (linear(x, f"attention.self.{name}").reshape(n, HEADS, d).transpose(1, 0, 2)
                   for name in ("query", "key", "value"))
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(d)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(1, 0, 2).reshape(n, HIDDEN)
        x = layer_norm(linear(context, "attention.output.dense") + x, w[p + "attention.output.LayerNorm.weight"],
                       w[p + "attention.output.LayerNorm.bias"])
        h = linear(x, "intermediate.dense")
        h = 0.5 * h * (1 + np.vectorize(math.erf)(h / math.sqrt(2)))
        x = layer_norm(linear(h, "output.dense") + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
    mean = x.mean(0)
    return mean / max(np.linalg.norm(mean), 1e-12)


def main():
    t = tensors()
    tiny = os.path.join(HERE, "tiny")
    os.makedirs(tiny, exist_ok=True)
    save_safetensors(os.path.join(tiny, "model.safetensors"), t)
    with open(os.path.join(tiny, "vocab.txt"), "w") as f:
        f.write("".join(token + "\n" for token in VOCAB))
    config = {"architectures": ["BertModel"], "hidden_act": "gelu", "hidden_size": HIDDEN, "intermediate_size":
              INTERMEDIATE, "layer_norm_eps": 1e-12, "max_position_embeddings": POSITIONS, "model_type": "bert",
              "num_attention_heads": HEADS, "num_hidden_layers": LAYERS, "type_vocab_size": TYPES,
              "vocab_size": len(VOCAB)}
    with open(os.path.join(tiny, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    expected = [{"text": text, "ids": ids, "embedding": [round(float(v), 7) for v in embed(t, ids)]}
                for text, ids in SENTENCES.items()]
    with open(os.path.join(HERE, "tiny-expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
