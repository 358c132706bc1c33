"""sktime's MiniRocket on the same CSVs Pretext reads: the reference to compare
`pretext series classify --method minirocket` with (scripts/minirocket-vs-sktime.sh).

Usage: python minirocket_sktime.py TRAIN.csv TEST.csv SEED [--series-id COL --time COL]
Prints the test accuracy. Wide files (one series per row, class in `target`) use
MiniRocket (univariate); long files use MiniRocketMultivariate when every series has one
length, else MiniRocketMultivariateVariable (reference length = the longest, series
shorter than 9 steps padded with 0), each followed by the reference classifier:
StandardScaler(with_mean=False) and RidgeClassifierCV(alphas=logspace(-3, 3, 10)).
"""
import argparse

import numpy as np
import pandas as pd
from sklearn.linear_model import RidgeClassifierCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def load(path, series_id, time):
    frame = pd.read_csv(path)
    if series_id is None:
        y = frame.pop("target").astype(str).to_numpy()
        return frame.to_numpy(dtype=np.float32)[:, None, :], y, True
    frame = frame.sort_values([series_id, time], kind="stable")
    groups = list(frame.groupby(series_id, sort=False))
    values = [c for c in frame.columns if c not in (series_id, time, "target")]
    y = np.array([str(group["target"].iloc[0]) for _, group in groups])
    series = [group[values].to_numpy(dtype=np.float32).T for _, group in groups]
    return series, y, len({s.shape[1] for s in series}) == 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("train")
    parser.add_argument("test")
    parser.add_argument("seed", type=int)
    parser.add_argument("--series-id")
    parser.add_argument("--time")
    args = parser.parse_args()
    from sktime.transformations.panel.rocket import (MiniRocket, MiniRocketMultivariate,
                                                     MiniRocketMultivariateVariable)
    x_train, y_train, equal_train = load(args.train, args.series_id, args.time)
    x_test, y_test, equal_test = load(args.test, args.series_id, args.time)
    if args.series_id is None:
        transform = MiniRocket(random_state=args.seed)
    elif equal_train and equal_test and x_train[0].shape[1] == x_test[0].shape[1]:
        transform = MiniRocketMultivariate(random_state=args.seed)
        x_train, x_test = np.stack(x_train), np.stack(x_test)
    else:
        transform = MiniRocketMultivariateVariable(random_state=args.seed, pad_value_short_series=0,
                                                   reference_length="max")
        to_frame = lambda xs: pd.DataFrame({f"dim_{c}": [pd.Series(x[c]) for x in xs] for c in range(xs[0].shape[0])})
        x_train, x_test = to_frame(x_train), to_frame(x_test)
    features = transform.fit_transform(x_train)
    classifier = make_pipeline(StandardScaler(with_mean=False), RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)))
    classifier.fit(features, y_train)
    print(f"{np.mean(classifier.predict(transform.transform(x_test)) == y_test):.4f}")


if __name__ == "__main__":
    main()
