"""Checkers for lessons 05-06: the student's DCGAN and conditional GAN builders.

They build the model, run it on a small batch, and read its layers for DCGAN's
rules (no pooling, strided convolutions, each activation in its place) and for
a label that changes the output.
"""
import keras
import numpy as np
from keras import layers

from gan_course.coding_exercises._checking import _Wrong, _first_line, _run


POOLING = ("MaxPooling", "AveragePooling", "GlobalMaxPooling", "GlobalAveragePooling")


def _all_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)
        else:
            yield layer


def _activation(layer):
    """The nonlinearity a layer applies, by name ('relu', 'tanh', ...), or None."""
    if isinstance(layer, layers.LeakyReLU):
        return "leaky_relu"
    if isinstance(layer, layers.ReLU):
        return "relu"
    activation = getattr(layer, "activation", None)
    if activation is None:
        return None
    name = getattr(activation, "__name__", type(activation).__name__).lower()
    name = {"leakyrelu": "leaky_relu"}.get(name, name)
    return None if name == "linear" else name


def _output_and_hidden(model):
    """(the output's activation, the set of hidden activations): the output's is that of
    the last layer that has weights or an activation ('linear' when it has none)."""
    found = list(_all_layers(model))
    last = next((i for i in reversed(range(len(found)))
                 if found[i].weights or hasattr(found[i], "activation")
                 or isinstance(found[i], (layers.ReLU, layers.LeakyReLU))), len(found) - 1)
    hidden = {a for a in map(_activation, found[:last]) if a}
    return _activation(found[last]) or "linear", hidden


def _model(fn, args, what):
    model = _run(fn, *args)
    if not isinstance(model, keras.Model):
        raise _Wrong(f"{what} should return a keras.Model (Sequential or functional), got {type(model).__name__}")
    return model


def _call(model, inputs, what):
    """model(inputs) in inference mode as numpy; a failure is the student's model's, said so."""
    try:
        return np.asarray(model(inputs, training=False))
    except Exception as error:
        given = ", ".join(f"{a.shape} {a.dtype}" for a in (inputs if isinstance(inputs, list) else [inputs]))
        raise _Wrong(f"{what} failed on inputs of shape and type {given}: "
                     f"{type(error).__name__}: {_first_line(error)}") from None


def _output(model, inputs, shape, what):
    out = _call(model, inputs, what)
    if out.shape != shape:
        raise _Wrong(f"{what} gives outputs of shape {out.shape[1:]} per sample; expected {shape[1:]}")
    return out


def _check_dcgan_rules(model, who):
    """Pooling, and each activation's place; `who` is 'G' or 'D'."""
    found = list(_all_layers(model))
    pooling = [layer.name for layer in found if type(layer).__name__.startswith(POOLING)]
    if who == "D" and pooling and all(type(layer).__name__.startswith("Global") for layer in found
                                      if layer.name in pooling):
        raise _Wrong("D ends in global pooling; the DCGAN paper flattens the last feature maps into one sigmoid "
                     "output instead (it found global average pooling slowed convergence)")
    if pooling:
        step = "Conv2DTranspose(strides=2) to upsample" if who == "G" else "Conv2D(strides=2) to downsample"
        raise _Wrong(f"{who} has pooling ({', '.join(pooling)}); DCGAN has none: use {step}")
    final, hidden = _output_and_hidden(model)
    weighted = [layer for layer in found if isinstance(layer, (layers.Dense, layers.Conv2D, layers.Conv2DTranspose))]
    dense = [i for i, layer in enumerate(weighted) if isinstance(layer, layers.Dense)]
    allowed = {0} if who == "G" else {len(weighted) - 1}  # G's projection of z; D's final score
    if set(dense) - allowed:
        where = "only as its first layer, projecting z" if who == "G" else "only as its last layer, the score"
        raise _Wrong(f"{who} has a hidden fully connected layer; DCGAN has none (a Dense belongs in {who} {where})")
    if who == "G":
        if any(isinstance(layer, layers.UpSampling2D) for layer in found):
            raise _Wrong("G upsamples with UpSampling2D; DCGAN's G learns its upsampling "
                         "with Conv2DTranspose(strides=2)")
        if not any(isinstance(layer, layers.Conv2DTranspose) and max(layer.strides) >= 2 for layer in found):
            raise _Wrong("G has no strided Conv2DTranspose: DCGAN upsamples with Conv2DTranspose(..., strides=2)")
        if not any(isinstance(layer, layers.BatchNormalization) for layer in found):
            raise _Wrong("G has no BatchNormalization: DCGAN's G normalises after each hidden layer")
        if final != "tanh":
            raise _Wrong(f"G's output activation is {final}; it must be tanh, so images lie in [-1, 1] like the data")
        after_last = found[found.index(weighted[-1]) + 1:] if weighted else []
        if any(isinstance(layer, layers.BatchNormalization) for layer in after_last):
            raise _Wrong("G normalises its output layer; Radford et al. leave BatchNorm out of G's output layer "
                         "(its tanh should see the convolution's values)")
        if hidden - {"relu"}:
            raise _Wrong(f"G's hidden layers use {', '.join(sorted(hidden - {'relu'}))}; DCGAN's G uses ReLU "
                         "(LeakyReLU belongs in D)")
        if "relu" not in hidden:
            raise _Wrong("G's hidden layers have no ReLU: DCGAN's G uses ReLU after each hidden layer "
                         "(without a nonlinearity the stack is one linear map)")
    else:
        if not any(isinstance(layer, layers.Conv2D) and max(layer.strides) >= 2 for layer in found):
            raise _Wrong("D has no strided Conv2D: DCGAN downsamples with Conv2D(..., strides=2)")
        if final != "sigmoid":
            raise _Wrong(f"D's output activation is {final}; it must be sigmoid, so D(x) is a probability"
                         + (" (a linear output is a WGAN critic)" if final == "linear" else ""))
        if "relu" in hidden or "leaky_relu" not in hidden:
            raise _Wrong(f"D's hidden layers use {', '.join(sorted(hidden)) or 'no activation'}; "
                         "DCGAN's D uses LeakyReLU (slope 0.2 in the paper)")


def _check_generator(fn):
    latent_dim = 24
    G = _model(fn, (latent_dim,), "make_generator(24)")
    if tuple(G.inputs[0].shape[1:]) != (latent_dim,):
        raise _Wrong(f"make_generator(24) takes z of shape {tuple(G.inputs[0].shape[1:])}; it should be (24,)")
    _output(G, np.zeros((2, latent_dim), "float32"), (2, 32, 32, 3), "G")
    _check_dcgan_rules(G, "G")


def _check_discriminator(fn):
    D = _model(fn, (), "make_discriminator()")
    if tuple(D.inputs[0].shape[1:]) != (32, 32, 3):
        raise _Wrong(f"D reads images of shape {tuple(D.inputs[0].shape[1:])}; it should read (32, 32, 3)")
    _output(D, np.zeros((2, 32, 32, 3), "float32"), (2, 1), "D")
    _check_dcgan_rules(D, "D")


def _differs(a, b):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) > 1e-6


def _check_conditional(model, first, who, other):
    """model([first, y]) must change when only y changes, and when only `first` changes."""
    if len(model.inputs) != 2:
        raise _Wrong(f"{who} should take two inputs, [{other}, y]; yours takes {len(model.inputs)}")
    dtypes = [str(getattr(t, "dtype", "float32")) for t in model.inputs]
    if "int" in dtypes[0] and "int" not in dtypes[1]:
        raise _Wrong(f"{who}'s inputs are in the order [y, {other}]; the engine calls {who}([{other}, y]): "
                     f"build the model as keras.Model([{other}_input, y_input], ...)")
    labels = np.arange(4, dtype="int32")
    same = np.repeat(first[:1], 4, axis=0)
    out = _call(model, [same, labels], who)
    varied = _call(model, [first, labels], who)
    if not any(_differs(varied[0], varied[i]) for i in range(1, 4)) and not any(
            _differs(out[0], out[i]) for i in range(1, 4)):
        raise _Wrong(f"{who}'s output is the same whatever {other} and y are (a softmax over one unit is always 1; "
                     f"a last layer of zeros gives a constant too)")
    if not all(_differs(out[0], out[i]) for i in range(1, 4)):
        raise _Wrong(f"{who} ignores the label: with the same {other}, labels 0, 1, 2, 3 gave the same output; "
                     f"join y (one-hot or embedded) to {other}")
    out = _call(model, [first, np.zeros(4, "int32")], who)
    if not all(_differs(out[0], out[i]) for i in range(1, 4)):
        raise _Wrong(f"{who} ignores {other}: with label 0, four different {other} gave the same output")


def _check_conditional_generator(fn):
    G = _model(fn, (8, 10), "make_conditional_generator(8, 10)")
    z = np.random.default_rng(0).standard_normal((4, 8)).astype("float32")
    _check_conditional(G, z, "G", "z")
    _output(G, [z, np.arange(4, dtype="int32")], (4, 28, 28, 1), "G")
    final = _output_and_hidden(G)[0]
    if final != "tanh":
        raise _Wrong(f"G's output activation is {final}; it must be tanh (images in [-1, 1])")


def _check_conditional_discriminator(fn):
    D = _model(fn, (10,), "make_conditional_discriminator(10)")
    x = np.random.default_rng(0).uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    _check_conditional(D, x, "D", "x")
    _output(D, [x, np.arange(4, dtype="int32")], (4, 1), "D")
    final = _output_and_hidden(D)[0]
    if final != "sigmoid":
        raise _Wrong(f"D's output activation is {final}; it must be sigmoid (a probability)")
