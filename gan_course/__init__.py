"""gan_course: the helper package of the GAN course.

Modules, each named for what it holds:
    config    the GAN_COURSE_FAST switch and the data folder
    data      MNIST (with an offline fallback) and toy distributions
    models    Keras builders for MLP and DCGAN generators and discriminators, and MixturePrior
    training  the `train_on_batch` GAN engine (Algorithm 1 of Goodfellow et al. 2014), conditional GAN
    wasserstein  WGAN and WGAN-GP on the same engine
    pacgan    PacGAN's packed D
    grid      lesson 08's grid GANs: one recipe per lever, and the five-minute G's it ships
    loop      the training loop, snapshots and checkpoints every engine inherits
    augment   DiffAugment, the engine's option to show D augmented images
    theory    divergences, the value function, D*, the Earth-Mover distance
    metrics   classifier scores, mode coverage, precision and recall, memorisation
    exercises, coding_exercises  the checks of the lessons' exercises
    slides    notebooks to reveal.js decks
    plotting  image grids, training curves and the course's plot style
    colab     the Colab badge and setup cell stamped into every notebook

Import it before keras or tensorflow: it loads TensorFlow quietly. In Jupyter it also sets
the course's plot style and tags each figure with its smallest text (plotting.show_in_notebook).
The course runs on TensorFlow; with KERAS_BACKEND set to another Keras backend (jax, torch) the
train_on_batch loops still run, but the gradient helpers and WGAN-GP need TensorFlow.
"""
import os
import sys

__version__ = "0.1.0"


def _import_tensorflow_quietly():
    """Import TensorFlow and find its devices with file descriptor 2 sent to /dev/null.

    TensorFlow's C++ start-up lines (oneDNN, CUDA probing, with timestamps) are
    written before its log level is read, straight to the process's stderr,
    where Jupyter shows them in whatever cell is running. Python warnings and
    errors are unaffected: they are raised after this.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        import tensorflow as tf

        tf.config.list_physical_devices()
        # Lessons build many small models on purpose; TF's "retracing" advice is noise there.
        tf.get_logger().setLevel("ERROR")
        import keras  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


if os.environ.get("KERAS_BACKEND", "tensorflow") == "tensorflow":
    _import_tensorflow_quietly()

if "IPython" in sys.modules:  # a notebook or IPython: figures in type that reads on a slide
    from gan_course import plotting as _plotting

    _plotting.show_in_notebook()
