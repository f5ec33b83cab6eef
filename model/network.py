"""The attention network of the seed tutorial, in Keras 3.

    char ids -> Embedding -> encoder: residual dilated separable convolutions
                             (default), dense convolutions, or the seed's
                             bidirectional LSTM
             -> 5 x [additive attention over the encoder states -> LSTM cell]
             -> shared softmax over OUTPUT_ALPHABET

Every encoder keeps one state per input character, so the attention still
points at the characters each output came from.

Keras 3 is imported as `keras`: importing tensorflow-transform turns
`tf.keras` into Keras 2 (tf_keras), so `tf.keras` is never used here.
"""

import dataclasses

import keras
from keras import layers, ops

from schemas import features

_PACKAGE = "timenorm"
_MASKED_SCORE = -1e9  # softmax weight of padding positions is exp(-1e9) = 0
_EPSILON = 1e-9


ENCODERS = ("lstm", "conv", "sepconv")


@dataclasses.dataclass
class HParams:
    """Sizes of the network; defaults chosen by the experiments in BENCHMARKS.md."""
    embedding_dim: int = 32
    encoder_units: int = 32  # per direction (lstm) or half the channels (conv)
    attention_units: int = 64
    decoder_units: int = 128
    # One of ENCODERS. Separable convolutions learn the real-text families
    # far faster per epoch than the biLSTM and serve about as fast
    # (BENCHMARKS.md, "Encoder for real text").
    encoder: str = "sepconv"
    conv_layers: int = 4  # conv encoder: kernel 5, dilations 1, 2, 4, 8, ...
    char_vocab_size: int = 64  # set from the transform output at training time


_CONV_KERNEL = 5


def conv_encoder(embedded, valid, hparams: HParams):
    """Residual stack of dilated 1-D convolutions over the characters.

    Every position sees +-2 * (2 ** conv_layers - 1) characters (+-30 with 4
    layers), enough to tie a number to the period word, zone or label beside
    it, and all positions are computed at once instead of step by step.
    Padding is zeroed before each layer, so a phrase encodes the same whatever
    the width of its batch.
    """
    channels = 2 * hparams.encoder_units
    keep = ops.expand_dims(ops.cast(valid, embedded.dtype), -1)
    x = layers.Dense(channels, name="encoder_input")(embedded) * keep
    conv = layers.SeparableConv1D if hparams.encoder == "sepconv" else layers.Conv1D
    for index in range(hparams.conv_layers):
        y = conv(channels, _CONV_KERNEL, padding="same", dilation_rate=2 ** index,
                 activation="relu", name=f"encoder_conv{index}")(x)
        x = layers.LayerNormalization(name=f"encoder_norm{index}")(x + y) * keep
    return x


@keras.saving.register_keras_serializable(_PACKAGE)
class AdditiveAttention(layers.Layer):
    """One step of the seed's attention over the encoder states.

    score_t = v . tanh(W [encoded_t ; state]), softmax over the real (unmasked)
    positions, context = sum_t weight_t * encoded_t. `W [a ; b]` is computed
    as `W_a a + W_b b` so the encoder half is done once for all output steps
    (`project_keys`), the same function as the seed's concat -> Dense(tanh).
    """

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.key_projection = layers.Dense(units, use_bias=True, name="key_projection")
        self.query_projection = layers.Dense(units, use_bias=False, name="query_projection")
        self.score = layers.Dense(1, use_bias=False, name="score")
        # The encoder's Keras mask arrives with `encoded`; it is applied
        # explicitly through `valid`, so accepting it here is right.
        self.supports_masking = True

    def build(self, encoded_shape, state_shape):
        self.key_projection.build(encoded_shape)
        self.query_projection.build(state_shape)
        self.score.build((None, None, self.units))
        self.built = True

    def project_keys(self, encoded):
        return self.key_projection(encoded)

    def call(self, encoded, keys, state, valid):
        """encoded [b, t, d], keys [b, t, units], state [b, s], valid [b, t] bool
        -> (context [b, d], weights [b, t]); weights sum to 1 over the valid positions."""
        hidden = ops.tanh(keys + ops.expand_dims(self.query_projection(state), 1))
        scores = ops.squeeze(self.score(hidden), -1)
        scores = ops.where(valid, scores, _MASKED_SCORE)
        weights = ops.softmax(scores, axis=-1) * ops.cast(valid, scores.dtype)
        weights = weights / (ops.sum(weights, axis=-1, keepdims=True) + _EPSILON)
        context = ops.einsum("bt,btd->bd", weights, encoded)
        return context, weights

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(_PACKAGE)
class AttentionDecoder(layers.Layer):
    """The seed's decoder: at each of `steps` outputs, attend, then step an LSTM.

    Returns the decoder states [b, steps, units] and the attention weights
    [b, steps, t].
    """

    def __init__(self, units: int, attention_units: int, steps: int = features.OUTPUT_LEN,
                 **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.attention_units = attention_units
        self.steps = steps
        self.attention = AdditiveAttention(attention_units, name="attention")
        self.cell = layers.LSTMCell(units, name="decoder_cell")
        self.supports_masking = True

    def build(self, encoded_shape):
        self.attention.build(encoded_shape, (None, self.units))
        self.cell.build((None, encoded_shape[-1]))
        self.built = True

    def call(self, encoded, mask=None):
        if mask is None:
            mask = ops.ones(ops.shape(encoded)[:2], dtype="bool")
        batch = ops.shape(encoded)[0]
        h = ops.zeros((batch, self.units), dtype=encoded.dtype)
        c = ops.zeros((batch, self.units), dtype=encoded.dtype)
        keys = self.attention.project_keys(encoded)
        states, weights = [], []
        for _ in range(self.steps):
            context, attention = self.attention(encoded, keys, h, mask)
            h, (h, c) = self.cell(context, [h, c])
            states.append(h)
            weights.append(attention)
        return ops.stack(states, axis=1), ops.stack(weights, axis=1)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "attention_units": self.attention_units, "steps": self.steps}


def build_model(hparams: HParams) -> keras.Model:
    """char ids [b, t] -> {"chars": probabilities [b, 5, |OUTPUT_ALPHABET|],
    "attention": [b, 5, t]}. `t` may vary from batch to batch."""
    char_ids = keras.Input(shape=(None,), dtype="int32", name=features.CHAR_IDS_KEY)
    if hparams.encoder not in ENCODERS:
        raise ValueError(f"encoder must be one of {ENCODERS}, got {hparams.encoder!r}")
    embedded = layers.Embedding(hparams.char_vocab_size, hparams.embedding_dim,
                                mask_zero=hparams.encoder == "lstm", name="embedding")(char_ids)
    if hparams.encoder == "lstm":
        encoded = layers.Bidirectional(
            layers.LSTM(hparams.encoder_units, return_sequences=True), name="encoder")(embedded)
        states, attention = AttentionDecoder(hparams.decoder_units, hparams.attention_units,
                                             name="decoder")(encoded)
    else:
        valid = layers.Identity(name="valid")(ops.not_equal(char_ids, features.PAD_ID))
        encoded = conv_encoder(embedded, valid, hparams)
        states, attention = AttentionDecoder(hparams.decoder_units, hparams.attention_units,
                                             name="decoder")(encoded, mask=valid)
    chars = layers.Dense(len(features.OUTPUT_ALPHABET), activation="softmax",
                         name="chars")(states)
    attention = layers.Identity(name="attention")(attention)
    return keras.Model(char_ids, {"chars": chars, "attention": attention}, name="timenorm")


def exact_match(y_true, y_pred):
    """1.0 for a row whose five characters are all right, else 0.0."""
    predicted = ops.argmax(y_pred, axis=-1)
    right = ops.equal(ops.cast(y_true, predicted.dtype), predicted)
    return ops.cast(ops.all(right, axis=-1), "float32")
