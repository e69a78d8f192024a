"""Reference values of gan_course.metrics.classifier_scores, so a student can read a score.

    python benchmarks/reference_scores.py
Prints a markdown table: held-out real digits (against the training digits' statistics),
training digits against themselves, uniform noise, blank images, and one digit repeated.
"""
import gan_course  # noqa: F401  (quiet TensorFlow import)
import numpy as np

from gan_course import data, metrics


def main():
    train, train_labels = data.load_mnist("train")
    test, _ = data.load_mnist("test", verbose=False)
    n = len(test)
    rng = np.random.default_rng(0)
    cases = {
        f"real, held out ({n})": test,
        f"real, training digits ({n} of them)": train[rng.choice(len(train), n, replace=False)],
        f"real, all training digits ({len(train)})": train,
        f"uniform noise in [-1, 1] ({n})": rng.uniform(-1, 1, (n, 28, 28, 1)).astype("float32"),
        f"blank, all -1 ({n})": np.full((n, 28, 28, 1), -1.0, "float32"),
        f"one digit '3' repeated ({n})": np.repeat(train[train_labels == 3][:1], n, axis=0),
    }
    print("| images | FID (classifier) | IS (classifier) | confident > 0.9 | class entropy (max 2.303) |")
    print("|---|---:|---:|---:|---:|")
    for name, images in cases.items():
        s = metrics.classifier_scores(images)
        print(f"| {name} | {s['fid']:.2f} | {s['inception_score']:.2f} | {s['confident']:.1%} | {s['class_entropy']:.3f} |")


if __name__ == "__main__":
    main()
