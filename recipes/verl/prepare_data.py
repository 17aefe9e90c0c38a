"""data/train.jsonl and data/test.jsonl (the playground run's own question split, as chat prompts with a
rule ground truth) -> data/train.parquet and data/test.parquet, the files verl's RLHFDataset reads.

For a real dataset, skip this and point TRAIN_FILES / VAL_FILES at its parquet files (README).
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def read_rows(path):
    with open(path) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    for i, r in enumerate(rows):
        missing = {"data_source", "prompt", "reward_model", "extra_info"} - set(r)
        if missing:
            raise ValueError(f"{path}: row {i + 1} lacks {', '.join(sorted(missing))}")
    return rows


def main():
    import pandas as pd  # installed with verl

    for split in ("train", "test"):
        src = os.path.join(HERE, "data", f"{split}.jsonl")
        dst = os.path.join(HERE, "data", f"{split}.parquet")
        rows = read_rows(src)
        pd.DataFrame(rows).to_parquet(dst)
        print(f"{dst}: {len(rows)} rows")


if __name__ == "__main__":
    sys.exit(main())
