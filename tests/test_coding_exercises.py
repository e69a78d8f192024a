"""The coding exercises' checkers are honest: each passes its reference answer, says "not
yet" to the notebooks' stubs, and names the mistake in plausible wrong answers."""
import importlib.util

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from gan_course import coding_exercises, exercises, wasserstein
from gan_course.coding_exercises.checks_wgan import _critics


def verdict(capsys, name, fn):
    """(check_code's return value, what it printed)."""
    right = coding_exercises.check_code(name, fn)
    return right, capsys.readouterr().out


# ---------------------------------------------------------------------- wrong answers, by exercise
# 01
def value_negated(d_real, d_fake):
    return -(np.mean(np.log(d_real)) + np.mean(np.log(1 - d_fake)))


def value_log_d_on_fakes(d_real, d_fake):
    return np.mean(np.log(d_real)) + np.mean(np.log(d_fake))


def value_one_mean(d_real, d_fake):
    return np.mean(np.concatenate([np.log(d_real), np.log(1 - d_fake)]))


def value_bce_joined(d_real, d_fake):  # what D.train_on_batch reports on the joined batch
    return -np.mean(np.concatenate([np.log(d_real), np.log(1 - d_fake)]))


def value_no_return(d_real, d_fake):
    np.mean(np.log(d_real)) + np.mean(np.log(1 - d_fake))


def losses_swapped(d_fake):
    return np.mean(-np.log(d_fake)), np.mean(np.log(1 - d_fake))


def losses_saturating_sign(d_fake):
    return np.mean(-np.log(1 - d_fake)), np.mean(-np.log(d_fake))


def losses_saturating_log_d(d_fake):
    return np.mean(np.log(d_fake)), np.mean(-np.log(d_fake))


# 02
def d_star_swapped(p_data, p_g):
    return p_g / (p_data + p_g)


def d_star_ratio(p_data, p_g):
    return p_data / p_g


def ratio_inverted(d):
    return (1 - d) / d


def ratio_logit(d):
    return np.log(d / (1 - d))


# 03
def jsd_without_zero_guard(p, q):
    m = (p + q) / 2
    return 0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m))


def jsd_dividing_by_m(p, q):
    m = (p + q) / 2
    return 0.5 * np.sum(p[p > 0] * np.log(p[p > 0] / m[p > 0])) + 0.5 * np.sum(q[q > 0] * np.log(q[q > 0] / m[q > 0]))


def jsd_twice(p, q):
    return 2 * coding_exercises.jsd(p, q)


def jsd_distance(p, q):
    return np.sqrt(coding_exercises.jsd(p, q))


def w1_unsorted(x, y):
    return np.mean(np.abs(x - y))


def w1_means(x, y):
    return abs(np.mean(x) - np.mean(y))


def w1_as_w2(x, y):
    return np.sqrt(np.mean((np.sort(x) - np.sort(y)) ** 2))


# 04
def d_step_without_toggle(G, D, real, noise):
    fake = G.predict_on_batch(noise)
    labels = np.concatenate([np.ones((len(real), 1)), np.zeros((len(fake), 1))])
    return D.train_on_batch(np.concatenate([real, fake]), labels)


def d_step_no_return(G, D, real, noise):
    fake = G.predict_on_batch(noise)
    D.trainable = True
    D.train_on_batch(np.concatenate([real, fake]), np.concatenate([np.ones((len(real), 1)), np.zeros((len(fake), 1))]))


def d_step_labels_swapped(G, D, real, noise):
    fake = G.predict_on_batch(noise)
    labels = np.concatenate([np.zeros((len(real), 1)), np.ones((len(fake), 1))])
    D.trainable = True
    return D.train_on_batch(np.concatenate([real, fake]), labels)


def d_step_all_ones(G, D, real, noise):
    fake = G.predict_on_batch(noise)
    D.trainable = True
    return D.train_on_batch(np.concatenate([real, fake]), np.ones((len(real) + len(fake), 1)))


def d_step_real_only(G, D, real, noise):
    D.trainable = True
    return D.train_on_batch(real, np.ones((len(real), 1)))


def d_step_fit_labels_swapped(G, D, real, noise):
    fake = G.predict_on_batch(noise)
    D.trainable = True
    labels = np.concatenate([np.zeros((len(real), 1)), np.ones((len(fake), 1))])
    D.fit(np.concatenate([real, fake]), labels, verbose=0)  # not train_on_batch: judged by its effect alone


def d_step_training_g_too(G, D, real, noise):
    G.compile(optimizer="sgd", loss="mse")  # a confusion: "G learns from the data" in D's step
    G.train_on_batch(noise, real)
    return coding_exercises.d_step(G, D, real, noise)


def g_step_without_toggle(combined, D, noise):
    return combined.train_on_batch(noise, np.ones((len(noise), 1)))


def g_step_toggle_after(combined, D, noise):
    loss = combined.train_on_batch(noise, np.ones((len(noise), 1)))
    D.trainable = False
    return loss


def g_step_recompiles(combined, D, noise):
    D.trainable = False
    combined.compile(optimizer="adam", loss="binary_crossentropy")  # "to apply the freeze", a Keras 2 habit
    return combined.train_on_batch(noise, np.ones((len(noise), 1)))


def g_step_labels_zero(combined, D, noise):
    D.trainable = False
    return combined.train_on_batch(noise, np.zeros((len(noise), 1)))


def g_step_trains_d(combined, D, noise):
    D.trainable = False
    return D.train_on_batch(combined.layers[1](noise), np.ones((len(noise), 1)))


def g_step_own_noise(combined, D, noise):
    D.trainable = False
    z = np.random.default_rng(1).standard_normal(noise.shape)
    return combined.train_on_batch(z, np.ones((len(noise), 1)))


# 05
def generator_layers(upsample, activation="relu", batchnorm=True, output="tanh"):
    """(4, 4, 16) -> (8, 8, 16) -> (16, 16, 8) -> (32, 32, 3), upsampling as `upsample` says."""
    stack = [layers.Dense(4 * 4 * 16), layers.Reshape((4, 4, 16))]
    for filters in (16, 8):
        stack += upsample(filters) + ([layers.BatchNormalization()] if batchnorm else [])
        stack.append(layers.Activation(activation))
    return stack + upsample(3, output)


def transposed(filters, activation=None):
    return [layers.Conv2DTranspose(filters, 4, strides=2, padding="same", activation=activation)]


def resized(filters, activation=None):
    return [layers.UpSampling2D(), layers.Conv2D(filters, 3, padding="same", activation=activation)]


def generator_with_upsampling(latent_dim):
    return keras.Sequential([keras.Input((latent_dim,)), *generator_layers(resized)])


def generator_sigmoid_output(latent_dim):
    return keras.Sequential([keras.Input((latent_dim,)), *generator_layers(transposed, output="sigmoid")])


def generator_leaky(latent_dim):
    return keras.Sequential([keras.Input((latent_dim,)), *generator_layers(transposed, activation="leaky_relu")])


def generator_without_batchnorm(latent_dim):
    return keras.Sequential([keras.Input((latent_dim,)), *generator_layers(transposed, batchnorm=False)])


def generator_hidden_dense(latent_dim):
    return keras.Sequential([keras.Input((latent_dim,)), layers.Dense(64, activation="relu"),
                             *generator_layers(transposed)])


def generator_batchnorm_on_output(latent_dim):
    return keras.Sequential([keras.Input((latent_dim,)), *generator_layers(transposed, output=None),
                             layers.BatchNormalization(), layers.Activation("tanh")])


def generator_without_nonlinearity(latent_dim):
    return keras.Sequential([keras.Input((latent_dim,)), *generator_layers(transposed, activation="linear")])


def generator_for_mnist(latent_dim):
    return keras.Sequential([keras.Input((latent_dim,)), layers.Dense(7 * 7 * 8), layers.Reshape((7, 7, 8)),
                             layers.Conv2DTranspose(8, 4, strides=2, padding="same"), layers.BatchNormalization(),
                             layers.ReLU(), layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")])


def discriminator(activation="leaky_relu", pooling=False, output="sigmoid", head=()):
    stack = [keras.Input((32, 32, 3))]
    for filters in (8, 16):
        if pooling:
            stack += [layers.Conv2D(filters, 3, padding="same"), layers.MaxPooling2D()]
        else:
            stack.append(layers.Conv2D(filters, 4, strides=2, padding="same"))
        stack.append(layers.Activation(activation))
    return keras.Sequential(stack + [layers.Flatten(), *head, layers.Dense(1, activation=output)])


# 06
def conditional_generator(latent_dim, num_classes, use_label=True, use_z=True):
    z, y = keras.Input((latent_dim,)), keras.Input((), dtype="int32")
    one_hot = layers.CategoryEncoding(num_classes, output_mode="one_hot")(y)
    h = layers.Concatenate()([z, one_hot]) if use_label and use_z else (z if use_z else one_hot)
    h = layers.Reshape((7, 7, 4))(layers.Dense(7 * 7 * 4, activation="relu")(h))
    h = layers.Conv2DTranspose(4, 4, strides=2, padding="same", activation="relu")(h)
    return keras.Model([z, y], layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(h))


def generator_y_first(latent_dim, num_classes):
    z, y = keras.Input((latent_dim,)), keras.Input((), dtype="int32")
    h = layers.Concatenate()([z, layers.CategoryEncoding(num_classes, output_mode="one_hot")(y)])
    image = layers.Reshape((28, 28, 1))(layers.Dense(28 * 28, activation="tanh")(h))
    return keras.Model([y, z], image)  # the engine calls G([z, y])


def conditional_discriminator(num_classes, use_label=True, output="sigmoid"):
    x, y = keras.Input((28, 28, 1)), keras.Input((), dtype="int32")
    h = layers.Flatten()(layers.Conv2D(4, 4, strides=2, padding="same", activation="leaky_relu")(x))
    if use_label:
        h = layers.Concatenate()([h, layers.CategoryEncoding(num_classes, output_mode="one_hot")(y)])
    return keras.Model([x, y], layers.Dense(1, activation=output)(h))


# 07
def input_gradients(critic, x_hat, of_mean=False):
    x_hat = tf.convert_to_tensor(x_hat, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = critic(x_hat)
        if of_mean:
            scores = tf.reduce_mean(scores)
    return tape.gradient(scores, x_hat)


def penalty_squared_norm(critic, real, fake, alpha):
    gradients = input_gradients(critic, alpha * real + (1 - alpha) * fake)
    return tf.reduce_mean(tf.square(tf.reduce_sum(tf.square(gradients), axis=1) - 1))


def penalty_at_midpoint(critic, real, fake, alpha):
    gradients = input_gradients(critic, (real + fake) / 2)
    return tf.reduce_mean(tf.square(tf.norm(gradients, axis=1) - 1))


def penalty_of_mean_score(critic, real, fake, alpha):
    gradients = input_gradients(critic, alpha * real + (1 - alpha) * fake, of_mean=True)
    return tf.reduce_mean(tf.square(tf.norm(gradients, axis=1) - 1))


def penalty_without_minus_one(critic, real, fake, alpha):
    gradients = input_gradients(critic, alpha * real + (1 - alpha) * fake)
    return tf.reduce_mean(tf.reduce_sum(tf.square(gradients), axis=1))


def penalty_summed(critic, real, fake, alpha):
    gradients = input_gradients(critic, alpha * real + (1 - alpha) * fake)
    return tf.reduce_sum((tf.norm(gradients, axis=1) - 1) ** 2)


def penalty_without_watch(critic, real, fake, alpha):
    x_hat = tf.convert_to_tensor(alpha * real + (1 - alpha) * fake, tf.float32)
    with tf.GradientTape() as tape:  # no tape.watch(x_hat): the gradient comes back None
        scores = critic(x_hat)
    gradients = tape.gradient(scores, x_hat)
    return tf.reduce_mean((tf.norm(gradients, axis=1) - 1) ** 2)


def loss_sign_flipped(critic, real, fake, alpha, gp_weight):
    penalty = coding_exercises.gradient_penalty(critic, real, fake, alpha)
    return tf.reduce_mean(critic(real)) - tf.reduce_mean(critic(fake)) + gp_weight * penalty


def loss_halved(critic, real, fake, alpha, gp_weight):
    penalty = coding_exercises.gradient_penalty(critic, real, fake, alpha)
    return (tf.reduce_mean(critic(fake)) - tf.reduce_mean(critic(real))) / 2 + gp_weight * penalty


def loss_unweighted_penalty(critic, real, fake, alpha, gp_weight):
    penalty = coding_exercises.gradient_penalty(critic, real, fake, alpha)
    return tf.reduce_mean(critic(fake)) - tf.reduce_mean(critic(real)) + penalty


# 08
def zoo(d_real, d_fake, ls_d=None, ls_g=None, hinge_d=None, hinge_g=None):
    """The right four losses, with any of them replaced by a wrong one."""
    right = coding_exercises.zoo_losses(d_real, d_fake)
    return {"least-squares": (ls_d if ls_d is not None else right["least-squares"][0],
                              ls_g if ls_g is not None else right["least-squares"][1]),
            "hinge": (hinge_d if hinge_d is not None else right["hinge"][0],
                      hinge_g if hinge_g is not None else right["hinge"][1])}


def zoo_ls_half_dropped(d_real, d_fake):
    return zoo(d_real, d_fake, ls_d=np.mean((d_real - 1) ** 2) + np.mean(d_fake**2))


def zoo_ls_targets_swapped(d_real, d_fake):  # fakes to 1, reals to 0
    return zoo(d_real, d_fake, ls_d=0.5 * np.mean(d_real**2) + 0.5 * np.mean((d_fake - 1) ** 2))


def zoo_ls_g_toward_zero(d_real, d_fake):
    return zoo(d_real, d_fake, ls_g=0.5 * np.mean(d_fake**2))


def zoo_hinge_without_max(d_real, d_fake):
    return zoo(d_real, d_fake, hinge_d=np.mean(1 - d_real) + np.mean(1 + d_fake))


def zoo_hinge_as_wasserstein(d_real, d_fake):
    return zoo(d_real, d_fake, hinge_d=np.mean(d_fake) - np.mean(d_real))


def zoo_hinge_halved(d_real, d_fake):  # as the engine's hinge_loss, averaged over all 2m scores
    return zoo(d_real, d_fake, hinge_d=np.mean(np.maximum(0, 1 - np.concatenate([d_real, -d_fake]))))


def zoo_hinge_g_sign_flipped(d_real, d_fake):
    return zoo(d_real, d_fake, hinge_g=np.mean(d_fake))


def zoo_hinge_g_with_max(d_real, d_fake):
    return zoo(d_real, d_fake, hinge_g=np.mean(np.maximum(0, 1 - d_fake)))


def zoo_key_misspelt(d_real, d_fake):
    losses = coding_exercises.zoo_losses(d_real, d_fake)
    return {"least_squares": losses["least-squares"], "hinge": losses["hinge"]}


def zoo_pairs_reversed(d_real, d_fake):
    return {game: pair[::-1] for game, pair in coding_exercises.zoo_losses(d_real, d_fake).items()}


def zoo_hinge_d_not_averaged(d_real, d_fake):
    return zoo(d_real, d_fake, hinge_d=np.maximum(0, 1 - d_real) + np.maximum(0, 1 + d_fake))


def zoo_tuple(d_real, d_fake):
    losses = coding_exercises.zoo_losses(d_real, d_fake)
    return losses["least-squares"], losses["hinge"]


def zoo_no_return(d_real, d_fake):
    coding_exercises.zoo_losses(d_real, d_fake)


def pack_reshape_only(samples, m):  # right for vectors; for images it mixes the samples' pixels
    return samples.reshape(len(samples) // m, *samples.shape[1:-1], m * samples.shape[-1])


def pack_by_stride(samples, m):  # pack j = samples j, j + N/m, ...
    n = len(samples) // m
    return np.stack([np.concatenate(list(samples[j::n]), axis=-1) for j in range(n)])


def pack_on_batch_axis(samples, m):
    return np.concatenate([samples[i::m] for i in range(m)], axis=0)


def pack_not_merged(samples, m):
    return samples.reshape(len(samples) // m, m, *samples.shape[1:])


def pack_interleaved(samples, m):  # the pack axis moved after the channels
    groups = np.moveaxis(samples.reshape(len(samples) // m, m, *samples.shape[1:]), 1, -1)
    return groups.reshape(len(samples) // m, *samples.shape[1:-1], m * samples.shape[-1])


def pack_flattened(samples, m):
    return samples.reshape(len(samples) // m, -1)


def pack_keeping_only_the_first_sample_of_each_pack(samples, m):  # packs of the right count, one sample wide
    return samples[::m].reshape(len(samples) // m, *samples.shape[1:])


def pack_no_return(samples, m):
    coding_exercises.pack(samples, m)


WRONG = [
    ("01.value", value_negated, "you returned -V"),
    ("01.value", value_log_d_on_fakes, "your second term is log D(G(z))"),
    ("01.value", value_one_mean, "averaged over both batches at once"),
    ("01.value", value_bce_joined, "D's binary cross-entropy over the joined batch"),
    ("01.value", value_no_return, "did you forget `return`"),
    ("01.losses", losses_swapped, "the two are swapped"),
    ("01.losses", losses_saturating_sign, "saturating loss has the wrong sign"),
    ("01.losses", losses_saturating_log_d, "your saturating loss uses log D(G(z))"),
    ("02.d_star", d_star_swapped, "you returned 1 - D*"),
    ("02.d_star", d_star_ratio, "that is the density ratio"),
    ("02.ratio", ratio_inverted, "p_g / p_data, the inverse"),
    ("02.ratio", ratio_logit, "D's logit"),
    ("03.jsd", jsd_without_zero_guard, "nan where p or q is 0"),
    ("03.jsd", jsd_dividing_by_m, "m = (p + q) / 2 rounds to 0"),
    ("03.jsd", jsd_twice, "twice JSD"),
    ("03.jsd", jsd_distance, "Jensen-Shannon distance, sqrt(JSD)"),
    ("03.jsd", lambda p, q: float(np.sum(p[p > 0] * np.log(2 * p[p > 0] / (p + q)[p > 0]))), "only KL(p || m)"),
    ("03.w1", w1_unsorted, "matched the samples in the order given"),
    ("03.w1", w1_means, "only a lower bound"),
    ("03.w1", w1_as_w2, "that is W2"),
    ("04.d_step", d_step_without_toggle, "D never changed: was it trainable when its train function was traced?"),
    ("04.d_step", d_step_labels_swapped, "labels swapped"),
    ("04.d_step", d_step_all_ones, "the fakes need label 0"),
    ("04.d_step", d_step_real_only, "D was not shown the fakes"),
    ("04.d_step", d_step_training_g_too, "your D step also moved G"),
    ("04.d_step", d_step_fit_labels_swapped, "V(D, G) on the batch went down"),
    ("04.d_step", d_step_no_return, "your step returns nothing"),
    ("04.g_step", g_step_without_toggle, "G's step moved D: set D.trainable = False"),
    ("04.g_step", g_step_toggle_after, "G's step moved D"),
    ("04.g_step", g_step_labels_zero, "labels 0 make G help D"),
    ("04.g_step", g_step_trains_d, "your G step called D.train_on_batch"),
    ("04.g_step", g_step_own_noise, "the noise you were given"),
    ("04.g_step", g_step_recompiles, "your step compiled the combined model again"),
    ("05.generator", generator_with_upsampling, "UpSampling2D"),
    ("05.generator", generator_sigmoid_output, "G's output activation is sigmoid"),
    ("05.generator", generator_leaky, "G's hidden layers use leaky_relu"),
    ("05.generator", generator_without_batchnorm, "G has no BatchNormalization"),
    ("05.generator", generator_for_mnist, "expected (32, 32, 3)"),
    ("05.generator", generator_hidden_dense, "G has a hidden fully connected layer"),
    ("05.generator", generator_batchnorm_on_output, "G normalises its output layer"),
    ("05.generator", generator_without_nonlinearity, "G's hidden layers have no ReLU"),
    ("05.discriminator", lambda: discriminator(pooling=True), "D has pooling"),
    ("05.discriminator", lambda: discriminator(head=[layers.Dense(32, activation="leaky_relu")]),
     "D has a hidden fully connected layer"),
    ("05.discriminator", lambda: discriminator(activation="relu"), "DCGAN's D uses LeakyReLU"),
    ("05.discriminator", lambda: discriminator(output=None), "must be sigmoid"),
    ("06.conditional", lambda z, k: conditional_generator(z, k, use_label=False), "G ignores the label"),
    ("06.conditional", lambda z, k: conditional_generator(z, k, use_z=False), "G ignores z"),
    ("06.conditional_d", lambda k: conditional_discriminator(k, use_label=False), "D ignores the label"),
    ("06.conditional_d", lambda k: conditional_discriminator(k, output=None), "must be sigmoid"),
    ("06.conditional_d", lambda k: conditional_discriminator(k, output="softmax"), "a softmax over one unit"),
    ("06.conditional", generator_y_first, "inputs are in the order [y, z]"),
    ("07.penalty", penalty_squared_norm, "(||grad||^2 - 1)^2"),
    ("07.penalty", penalty_at_midpoint, "alpha is not used"),
    ("07.penalty", penalty_of_mean_score, "gradient of the mean score"),
    ("07.penalty", penalty_without_minus_one, "you penalise ||grad||^2"),
    ("07.penalty", penalty_summed, "you summed over the batch"),
    ("07.penalty", penalty_without_watch, "call tape.watch(x_hat)"),
    ("07.critic_loss", loss_sign_flipped, "sign is flipped"),
    ("07.critic_loss", loss_halved, "the Wasserstein term is halved"),
    ("07.critic_loss", loss_unweighted_penalty, "not multiplied by gp_weight"),
    ("08.losses", zoo_ls_half_dropped, "the least-squares D loss has lost its 1/2"),
    ("08.losses", zoo_ls_targets_swapped, "the least-squares D loss has its targets swapped"),
    ("08.losses", zoo_ls_g_toward_zero, "the least-squares G loss pulls D(G(z)) toward 0"),
    ("08.losses", zoo_hinge_without_max, "the hinge D loss has no max: without it"),
    ("08.losses", zoo_hinge_as_wasserstein, "that is a Wasserstein critic's loss, E D(G(z)) - E D(x)"),
    ("08.losses", zoo_hinge_halved, "the hinge D loss is halved"),
    ("08.losses", zoo_hinge_g_sign_flipped, "the hinge G loss has its sign flipped"),
    ("08.losses", zoo_hinge_g_with_max, "the hinge G loss has no max"),
    ("08.losses", zoo_key_misspelt, "your dict has no key 'least-squares' (its keys: 'least_squares', 'hinge')"),
    ("08.losses", zoo_pairs_reversed, "is (g_loss, d_loss); return (d_loss, g_loss)"),
    ("08.losses", zoo_hinge_d_not_averaged, "hinge D's loss should be one number (a mean over the batch)"),
    ("08.losses", zoo_tuple, "return a dict"),
    ("08.losses", zoo_no_return, "did you forget `return`"),
    ("08.pack", pack_reshape_only, "a plain reshape to (N/m, H, W, m*C) is right for vectors"),
    ("08.pack", pack_by_stride, "each pack takes every (N/m)-th sample"),
    ("08.pack", pack_on_batch_axis, "were the samples joined on the batch axis (axis 0)?"),
    ("08.pack", pack_not_merged, "the pack axis is still apart"),
    ("08.pack", pack_interleaved, "the samples' channels are interleaved"),
    ("08.pack", pack_flattened, "each pack is flattened"),
    ("08.pack", pack_keeping_only_the_first_sample_of_each_pack, "a pack puts its m samples' channels side by side"),
    ("08.pack", pack_no_return, "did you forget `return`"),
]


# ---------------------------------------------------------------------- the tests
@pytest.mark.parametrize("name", list(coding_exercises.EXERCISES))
def test_reference_answer_is_right(capsys, name):
    right, printed = verdict(capsys, name, coding_exercises.EXERCISES[name].answer)
    assert right, printed
    assert printed == f"Exercise {name}: right.\n"


@pytest.mark.parametrize("name, wrong, diagnosis", WRONG, ids=[f"{n}-{getattr(f, '__name__', '')}-{i}"
                                                               for i, (n, f, _) in enumerate(WRONG)])
def test_wrong_answer_gets_its_diagnosis(capsys, name, wrong, diagnosis):
    right, printed = verdict(capsys, name, wrong)
    assert not right
    assert printed.startswith(f"Exercise {name}: wrong.") and diagnosis in printed, printed


def test_every_exercise_has_two_wrong_answers_tested():
    counts = {name: sum(n == name for n, _, _ in WRONG) for name in coding_exercises.EXERCISES}
    assert min(counts.values()) >= 2, counts


def test_every_lesson_01_to_08_has_two_coding_exercises():
    lessons = [name.split(".")[0] for name in coding_exercises.EXERCISES]
    assert all(lessons.count(f"{n:02d}") >= 2 for n in range(1, 9)), lessons


@pytest.mark.parametrize("name", list(coding_exercises.EXERCISES))
def test_stub_says_not_yet(capsys, tmp_path, name):
    # From a file, as from a notebook cell, so its source can be read: the checker sees a
    # stub without running it (no models built for an unanswered exercise).
    path = tmp_path / f"stub_{name.replace('.', '_')}.py"
    path.write_text(coding_exercises.stub(name))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stub = getattr(module, coding_exercises.EXERCISES[name].answer.__name__)
    with pytest.raises(NotImplementedError):
        stub(*[None] * stub.__code__.co_argcount)
    right, printed = verdict(capsys, name, stub)
    assert not right
    assert printed.startswith(f"Exercise {name}: not yet written") and "Hint: " in printed


def test_stub_that_cannot_be_read_says_not_yet_when_run(capsys):
    namespace = {}
    exec(coding_exercises.stub("02.d_star"), namespace)  # no source file: it has to be run
    right, printed = verdict(capsys, "02.d_star", namespace["optimal_d"])
    assert not right and printed.startswith("Exercise 02.d_star: not yet written")


def test_none_says_not_yet(capsys):
    right, printed = verdict(capsys, "04.d_step", None)
    assert not right and printed.startswith("Exercise 04.d_step: not yet")


def test_not_implemented_raised_midway_says_not_yet(capsys):
    def value(d_real, d_fake):
        first = np.mean(np.log(d_real))
        raise NotImplementedError(first)  # not the bare stub: only running it shows it

    right, printed = verdict(capsys, "01.value", value)
    assert not right and printed.startswith("Exercise 01.value: not yet")


def test_error_in_student_code_is_one_line_naming_it(capsys):
    def value(d_real, d_fake):
        return np.mean(np.log(d_real)) + np.mean(np.log(1 - d_fake[None] @ d_real))  # shapes do not fit

    right, printed = verdict(capsys, "01.value", value)
    assert not right
    assert printed.count("\n") == 1 and "Traceback" not in printed
    assert printed.startswith("Exercise 01.value: your value raised ValueError at `return np.mean(")


@pytest.mark.parametrize("name", list(coding_exercises.EXERCISES))
def test_printed_solution_runs_as_printed_and_passes(capsys, name):
    coding_exercises.solution(name)
    namespace = {}
    exec(capsys.readouterr().out, namespace)  # its imports included, nothing else given
    right, printed = verdict(capsys, name, namespace[coding_exercises.EXERCISES[name].answer.__name__])
    assert right, printed


def test_every_exercise_has_checker_solution_stub_and_hint():
    for name, exercise in coding_exercises.EXERCISES.items():
        assert callable(exercise.checker) and exercise.hint
        assert "raise NotImplementedError" in coding_exercises.stub(name)
        assert f"def {exercise.answer.__name__}(" in coding_exercises.solution_source(name)


def test_unknown_exercise_names_the_known_ones():
    with pytest.raises(ValueError, match="01.value"):
        coding_exercises.check_code("01.nope", print)


def test_exercises_module_delegates(capsys):
    assert exercises.check_code("01.value", coding_exercises.value) is None  # a notebook shows no True/False
    exercises.solution("03.w1")
    out = capsys.readouterr().out
    assert "Exercise 01.value: right." in out and "np.sort" in out


# ---------------------------------------------------------------------- right answers written differently
def d_step_in_two_calls(G, D, real, noise):
    D.trainable = True
    D.train_on_batch(real, np.ones((len(real), 1)))
    return D.train_on_batch(G.predict_on_batch(noise), np.zeros((len(noise), 1)))


def value_clipped_like_keras(d_real, d_fake):
    d_real, d_fake = np.clip(d_real, 1e-7, 1 - 1e-7), np.clip(d_fake, 1e-7, 1 - 1e-7)
    return np.mean(np.log(d_real)) + np.mean(np.log(1 - d_fake))


def value_with_keras_ops(d_real, d_fake):
    return keras.ops.mean(keras.ops.log(d_real)) + keras.ops.mean(keras.ops.log(1 - d_fake))


def penalty_with_tf_norm(critic, real, fake, alpha):
    gradients = input_gradients(critic, alpha * real + (1 - alpha) * fake)
    return tf.reduce_mean((tf.norm(gradients, axis=1) - 1) ** 2)


def zoo_clipped_and_joined(d_real, d_fake):  # np.clip for the max; D's least squares over the joined 2m
    squares = np.concatenate([(d_real - 1) ** 2, d_fake**2])
    hinge_d = np.mean(np.clip(1 - d_real, 0, None)) + np.mean(np.clip(1 + d_fake, 0, None))
    return {"hinge": [hinge_d, -d_fake.mean()], "least-squares": [np.mean(squares), np.mean((d_fake - 1) ** 2) / 2]}


def zoo_with_keras_ops(d_real, d_fake):  # tensors, not floats; relu for the max
    ops = keras.ops
    return {"least-squares": (ops.mean(ops.square(d_real - 1)) / 2 + ops.mean(ops.square(d_fake)) / 2,
                              ops.mean(ops.square(d_fake - 1)) / 2),
            "hinge": (ops.mean(ops.relu(1 - d_real)) + ops.mean(ops.relu(1 + d_fake)), -ops.mean(d_fake))}


def pack_in_a_loop(samples, m):
    if len(samples) % m:
        raise ValueError(f"{len(samples)} samples do not make packs of {m}")
    return np.stack([np.concatenate(list(samples[i:i + m]), axis=-1) for i in range(0, len(samples), m)])


def pack_from_strided_slices(samples, m):  # samples[i::m] is the i-th member of every pack
    return np.concatenate([samples[i::m] for i in range(m)], axis=-1)


def pack_with_transpose(samples, m):
    n, *shape = samples.shape
    order = (0, *range(2, len(shape) + 1), 1, len(shape) + 1)  # (n, m, ..., C) -> (n, ..., m, C)
    return samples.reshape(n // m, m, *shape).transpose(order).reshape(n // m, *shape[:-1], m * shape[-1])


def pack_with_the_engine(samples, m):
    from gan_course import pacgan

    return pacgan.packed(samples, m)


@pytest.mark.parametrize("name, answer", [("04.d_step", d_step_in_two_calls), ("01.value", value_with_keras_ops),
                                          ("01.value", value_clipped_like_keras),
                                          ("07.penalty", penalty_with_tf_norm),
                                          ("08.losses", zoo_clipped_and_joined), ("08.losses", zoo_with_keras_ops),
                                          ("08.pack", pack_in_a_loop), ("08.pack", pack_from_strided_slices),
                                          ("08.pack", pack_with_transpose), ("08.pack", pack_with_the_engine)])
def test_other_right_answers_are_right(capsys, name, answer):
    right, printed = verdict(capsys, name, answer)
    assert right, printed


def test_model_that_fails_on_the_inputs_is_told_their_shapes(capsys):
    def make_conditional_generator(latent_dim, num_classes):  # wants one-hot labels, gets integers
        z, y = keras.Input((latent_dim,)), keras.Input((num_classes,))
        image = layers.Reshape((28, 28, 1))(layers.Dense(784, activation="tanh")(layers.Concatenate()([z, y])))
        return keras.Model([z, y], image)

    right, printed = verdict(capsys, "06.conditional", make_conditional_generator)
    assert not right
    assert "failed on inputs of shape and type (4, 8) float32, (4,) int32: ValueError" in printed
    assert "\x1b" not in printed and printed.count("\n") == 1


# ---------------------------------------------------------------------- the checkers agree with the engine
def test_reference_penalty_matches_the_engine():
    critic, linear, real, fake, alpha = _critics()
    for model in (critic, linear):
        ours = float(coding_exercises.gradient_penalty(model, real, fake, alpha))
        assert ours == pytest.approx(float(wasserstein.gradient_penalty(model, real, fake, alpha)), rel=1e-5)
    assert float(coding_exercises.gradient_penalty(linear, real, fake, alpha)) == pytest.approx(16.0, rel=1e-5)


def test_reference_critic_loss_matches_the_engine_step():
    critic, _, real, fake, alpha = _critics()
    penalised = wasserstein.PenalisedCritic(critic, gp_weight=10.0)
    penalised.compile(optimizer=keras.optimizers.SGD(0.0))  # lr 0: read the loss, move nothing
    logs = penalised.train_on_batch([np.concatenate([real, fake]), alpha], return_dict=True)
    ours = float(coding_exercises.critic_loss(critic, real, fake, alpha, 10.0))
    assert ours == pytest.approx(float(logs["loss"]), rel=1e-5)


def test_reference_w1_matches_scipy():
    from scipy.stats import wasserstein_distance

    x, y = np.random.default_rng(0).normal(size=(2, 30))
    assert coding_exercises.w1(x, y) == pytest.approx(wasserstein_distance(x, y), rel=1e-12)


def test_reference_zoo_losses_match_the_engine():
    from gan_course import training

    rng = np.random.default_rng(0)
    d_real, d_fake = rng.normal(1, 2, 32), rng.normal(-1, 2, 32)
    ours = coding_exercises.zoo_losses(d_real, d_fake)
    scores = np.concatenate([d_real, d_fake])[:, None].astype("float32")
    targets = np.concatenate([np.ones(32), np.zeros(32)])[:, None].astype("float32")  # D's batch: 1 real, 0 fake
    fakes = d_fake[:, None].astype("float32")

    def mean(loss, y_true, y_pred):
        return float(np.mean(loss(y_true, y_pred)))
    assert ours["least-squares"][0] == pytest.approx(mean(training.least_squares_loss, targets, scores), rel=1e-5)
    assert ours["least-squares"][1] == pytest.approx(
        mean(training.least_squares_generator_loss, np.ones_like(fakes), fakes), rel=1e-5)
    # the engine averages D's hinge over all 2m scores: half the papers' sum of two means
    assert ours["hinge"][0] == pytest.approx(2 * mean(training.hinge_loss, targets, scores), rel=1e-5)
    assert ours["hinge"][1] == pytest.approx(mean(training.hinge_generator_loss, np.ones_like(fakes), fakes), rel=1e-5)


def test_reference_pack_matches_the_engine_and_refuses_incomplete_packs():
    from gan_course import pacgan

    for shape, m in [((6, 3), 2), ((8, 4, 4, 2), 4), ((6, 2, 3, 3), 3)]:
        x = np.random.default_rng(0).normal(size=shape).astype("float32")
        np.testing.assert_array_equal(coding_exercises.pack(x, m), np.asarray(pacgan.packed(x, m)))
    with pytest.raises(ValueError):
        coding_exercises.pack(np.zeros((5, 3)), 2)  # the checker never asks for this: any error will do


def test_numeric_exercises_of_08(capsys):
    exercises.check("08.1", 4)
    assert capsys.readouterr().out == "Exercise 08.1: right, 4.\n"
    exercises.check("08.1", 3)
    assert capsys.readouterr().out.startswith("Exercise 08.1: not yet (3). Hint: d/da of 1/2 (a - 1)^2 is a - 1")
    exercises.check("08.1", -4)
    assert "the slope itself" in capsys.readouterr().out
    exercises.check("08.1", 0.9526)
    assert "non-saturating cross-entropy loss's slope" in capsys.readouterr().out
    exercises.check("08.2", 32)
    assert capsys.readouterr().out == "Exercise 08.2: right, 32.\n"
    exercises.check("08.2", 33)
    assert capsys.readouterr().out.startswith("Exercise 08.2: not yet (33). Hint: each D step packs")
    exercises.check("08.2", 128)
    assert "that counts samples" in capsys.readouterr().out
    exercises.check("08.2", 16)
    assert "the real packs only" in capsys.readouterr().out
