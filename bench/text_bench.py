"""The Python side of `pnpm --filter @flint/bench text`: torchtext's basic_english rules (the
twelve regex replacements of torchtext/data/utils.py after str.lower(), then str.split()) and a
dict lookup with a default index, over the same corpus as the Flint side. torchtext itself does
not install beside Debian's torch, and its basic_english is this same pure-Python code.

Protocol: one JSON line in, one JSON line out, over stdin/stdout.
  {"cmd": "load", "corpus": path}        -> {"docs": n}     the corpus file: a JSON list of strings
  {"cmd": "vocab", "itos": path}         -> {"size": n}     a JSON list of tokens; index 0 is '<unk>'
  {"cmd": "sample", "case": c}           -> {"s": seconds, "tokens": n, "checksum": sum of ids}
     c: "tokenize" | "lookup" | "tokenize+lookup"
  {"cmd": "info"}                        -> {"python": version}
"""
import json
import re
import sys
import time

_patterns = [r"\'", r"\"", r"\.", r"<br \/>", r",", r"\(", r"\)", r"\!", r"\?", r"\;", r"\:", r"\s+"]
_replacements = [" '  ", "", " . ", " ", " , ", " ( ", " ) ", " ! ", " ? ", " ", " ", " "]
_patterns_dict = list((re.compile(p), r) for p, r in zip(_patterns, _replacements))


def basic_english(line):
    line = line.lower()
    for pattern_re, replaced_str in _patterns_dict:
        line = pattern_re.sub(replaced_str, line)
    return line.split()


docs = []
tokenized = []
stoi = {}


def run(case):
    tokens = 0
    checksum = 0
    t0 = time.perf_counter()
    if case == 'tokenize':
        for d in docs:
            tokens += len(basic_english(d))
    elif case == 'lookup':
        get = stoi.get
        for toks in tokenized:
            ids = [get(t, 0) for t in toks]
            tokens += len(ids)
            checksum += sum(ids)
    elif case == 'tokenize+lookup':
        get = stoi.get
        for d in docs:
            ids = [get(t, 0) for t in basic_english(d)]
            tokens += len(ids)
            checksum += sum(ids)
    else:
        raise ValueError(f'unknown case {case}')
    return {'s': time.perf_counter() - t0, 'tokens': tokens, 'checksum': checksum}


for line in sys.stdin:
    msg = json.loads(line)
    try:
        if msg['cmd'] == 'load':
            with open(msg['corpus'], encoding='utf-8') as f:
                docs = json.load(f)
            tokenized = [basic_english(d) for d in docs]
            out = {'docs': len(docs)}
        elif msg['cmd'] == 'vocab':
            with open(msg['itos'], encoding='utf-8') as f:
                stoi = {t: i for i, t in enumerate(json.load(f))}
            out = {'size': len(stoi)}
        elif msg['cmd'] == 'sample':
            out = run(msg['case'])
        elif msg['cmd'] == 'info':
            out = {'python': sys.version.split()[0]}
        else:
            out = {'error': f"unknown cmd {msg['cmd']}"}
    except Exception as e:  # reported to the Node side
        out = {'error': repr(e)}
    sys.stdout.write(json.dumps(out) + '\n')
    sys.stdout.flush()
