"""CG seeds: on-device (TinyML / microcontroller) computation: quantisation, fixed point, memory."""

import numpy as np
from scipy import signal

MODALITY = "edge"


def int8_affine_params(x_min: float, x_max: float) -> tuple[float, int]:
    """Scale and zero-point that map a float range onto signed 8-bit integers.

    Method: widen the range to include 0; scale = (max - min) / 255; zero_point =
    round(-128 - min / scale) clipped to [-128, 127]; a zero-width range gets scale 1.0.

    Parameters
    - x_min (float): smallest float value to represent.
    - x_max (float): largest float value to represent.

    Returns
    - scale (float): quantisation step (float units per integer step).
    - zero_point (int): integer that represents 0.0, in [-128, 127].
    """
    lo, hi = min(x_min, 0.0), max(x_max, 0.0)
    if hi == lo:
        return 1.0, 0
    scale = (hi - lo) / 255.0
    zero_point = int(np.clip(round(-128 - lo / scale), -128, 127))
    return float(scale), zero_point


def check_int8_affine_params() -> None:
    s, z = int8_affine_params(-1.0, 1.0)
    assert abs(s - 2 / 255) < 1e-12 and z == 0
    s, z = int8_affine_params(0.0, 6.0)
    assert abs(s - 6 / 255) < 1e-12 and z == -128
    assert int8_affine_params(0.0, 0.0) == (1.0, 0)


def dequantize_int8(q: np.ndarray, scale: float, zero_point: int) -> np.ndarray:
    """Recover float values from affine-quantised int8 values.

    Method: x = scale * (q - zero_point), computed in float32 after widening q to int32.

    Parameters
    - q (np.ndarray): quantised values, int8, shape (n,).
    - scale (float): quantisation step.
    - zero_point (int): integer that represents 0.0.

    Returns
    - x (np.ndarray): dequantised values, float32, shape (n,).
    """
    return (scale * (np.asarray(q).astype(np.int32) - zero_point)).astype(np.float32)


def check_dequantize_int8() -> None:
    x = dequantize_int8(np.array([-128, 0, 127], dtype=np.int8), 0.5, -10)
    assert x.dtype == np.float32
    assert np.allclose(x, [-59.0, 5.0, 68.5])


def quantize_per_channel_symmetric(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric per-output-channel int8 quantisation of a weight matrix.

    Method: per row (output channel) scale = max|w| / 127 (1.0 for an all-zero row); q =
    clip(round(w / scale), -127, 127) as int8; zero-point is 0.

    Parameters
    - weights (np.ndarray): float weights, shape (n_out, n_in).

    Returns
    - q (np.ndarray): quantised weights, int8, shape (n_out, n_in).
    - scales (np.ndarray): per-channel scales, shape (n_out,).
    """
    w = np.asarray(weights, dtype=float)
    peak = np.max(np.abs(w), axis=1)
    scales = np.where(peak > 0, peak / 127.0, 1.0)
    q = np.clip(np.round(w / scales[:, None]), -127, 127).astype(np.int8)
    return q, scales


def check_quantize_per_channel_symmetric() -> None:
    w = np.array([[0.5, -1.0, 0.25], [10.0, 5.0, 0.0], [0.0, 0.0, 0.0]])
    q, s = quantize_per_channel_symmetric(w)
    assert q.dtype == np.int8 and q.shape == (3, 3) and s.shape == (3,)
    assert q[0].tolist() == [64, -127, 32] and q[1].tolist() == [127, 64, 0]
    assert np.max(np.abs(q * s[:, None] - w)) <= np.max(s) / 2 + 1e-12


def q15_multiply(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Multiply two Q15 fixed-point arrays as a DSP instruction would.

    Method: 32-bit product a * b, add the rounding constant 2^14, arithmetic shift right by 15,
    saturate to [-32768, 32767], int16.

    Parameters
    - a (np.ndarray): Q15 values, int16, shape (n,).
    - b (np.ndarray): Q15 values, int16, shape (n,).

    Returns
    - product (np.ndarray): Q15 product, int16, shape (n,).
    """
    p = np.asarray(a).astype(np.int32) * np.asarray(b).astype(np.int32)
    p = (p + (1 << 14)) >> 15
    return np.clip(p, -32768, 32767).astype(np.int16)


def check_q15_multiply() -> None:
    half = np.int16(16384)
    out = q15_multiply(
        np.array([half, -32768, 8192], dtype=np.int16),
        np.array([half, -32768, -16384], dtype=np.int16),
    )
    assert out.dtype == np.int16
    assert out.tolist() == [8192, 32767, -4096]


def q15_to_float(q: np.ndarray) -> np.ndarray:
    """Convert Q15 fixed-point samples back to floats in [-1, 1).

    Method: x = q / 32768.

    Parameters
    - q (np.ndarray): Q15 samples, int16, shape (n,).

    Returns
    - x (np.ndarray): float samples, shape (n,).
    """
    return np.asarray(q).astype(float) / 32768.0


def check_q15_to_float() -> None:
    x = q15_to_float(np.array([-32768, 0, 16384, 32767], dtype=np.int16))
    assert np.allclose(x, [-1.0, 0.0, 0.5, 32767 / 32768])


def to_fixed_point(x: np.ndarray, frac_bits: int, total_bits: int) -> np.ndarray:
    """Quantise floats to a signed Qm.n fixed-point format with saturation.

    Method: q = round(x * 2^frac_bits), saturated to [-2^(total_bits-1), 2^(total_bits-1) - 1],
    returned as int64 integers.

    Parameters
    - x (np.ndarray): float values, shape (n,).
    - frac_bits (int): number of fractional bits n.
    - total_bits (int): word length in bits including the sign bit.

    Returns
    - q (np.ndarray): fixed-point integers, int64, shape (n,).
    """
    lo = -(2 ** (total_bits - 1))
    hi = 2 ** (total_bits - 1) - 1
    q = np.round(np.asarray(x, dtype=float) * 2.0**frac_bits)
    return np.clip(q, lo, hi).astype(np.int64)


def check_to_fixed_point() -> None:
    q = to_fixed_point(np.array([1.5, -0.25, 100.0, -100.0]), 8, 16)
    assert q.dtype == np.int64
    assert q.tolist() == [384, -64, 25600, -25600]
    assert to_fixed_point(np.array([200.0]), 8, 16).tolist() == [32767]


def magnitude_prune_mask(weights: np.ndarray, sparsity: float) -> np.ndarray:
    """Mask that keeps the largest-magnitude weights for unstructured pruning.

    Method: k = floor(sparsity * n) weights with the smallest |w| (ties by numpy.argsort order)
    are set to False; the rest True.

    Parameters
    - weights (np.ndarray): weight tensor, shape (n_out, n_in).
    - sparsity (float): fraction of weights to remove, in [0, 1].

    Returns
    - keep (np.ndarray): True for kept weights, bool, shape (n_out, n_in).
    """
    w = np.asarray(weights, dtype=float)
    flat = np.abs(w).ravel()
    k = int(np.floor(sparsity * flat.size))
    keep = np.ones(flat.size, dtype=bool)
    keep[np.argsort(flat, kind="stable")[:k]] = False
    return keep.reshape(w.shape)


def check_magnitude_prune_mask() -> None:
    w = np.array([[0.1, -5.0], [0.3, -0.2]])
    m = magnitude_prune_mask(w, 0.5)
    assert m.shape == (2, 2) and m.dtype == bool
    assert m.tolist() == [[False, True], [True, False]]
    assert magnitude_prune_mask(w, 0.0).all()


def model_weight_bytes(layer_params: list[int], bits_per_weight: int) -> int:
    """Flash needed for a model's weights at a given precision.

    Method: total parameters times bits_per_weight, rounded up to whole bytes.

    Parameters
    - layer_params (list[int]): parameter count of each layer.
    - bits_per_weight (int): bits per stored weight (32 float, 8 int8, 4 int4).

    Returns
    - n_bytes (int): weight storage in bytes.
    """
    bits = sum(int(p) for p in layer_params) * bits_per_weight
    return (bits + 7) // 8


def check_model_weight_bytes() -> None:
    assert model_weight_bytes([1000, 24], 8) == 1024
    assert model_weight_bytes([1000, 24], 32) == 4096
    assert model_weight_bytes([3], 4) == 2


def window_buffer_bytes(fs: float, window_s: float, n_channels: int, bytes_per_sample: int) -> int:
    """RAM needed to buffer one analysis window of a multichannel sensor stream.

    Method: round(fs * window_s) samples x n_channels x bytes_per_sample.

    Parameters
    - fs (float): sampling rate in Hz.
    - window_s (float): window length in seconds.
    - n_channels (int): number of channels.
    - bytes_per_sample (int): bytes per stored sample (2 for int16, 4 for float32).

    Returns
    - n_bytes (int): buffer size in bytes.
    """
    return round(fs * window_s) * n_channels * bytes_per_sample


def check_window_buffer_bytes() -> None:
    assert window_buffer_bytes(100.0, 2.56, 3, 4) == 3072
    assert window_buffer_bytes(16000.0, 1.0, 1, 2) == 32000


def conv2d_macs(
    out_height: int, out_width: int, in_channels: int, out_channels: int, kernel: int
) -> int:
    """Multiply-accumulate operations of a standard 2-D convolution layer.

    Method: MACs = H_out * W_out * C_in * C_out * k * k (no bias, square kernel).

    Parameters
    - out_height (int): output feature-map height.
    - out_width (int): output feature-map width.
    - in_channels (int): input channels.
    - out_channels (int): output channels.
    - kernel (int): kernel size k.

    Returns
    - macs (int): number of multiply-accumulates.
    """
    return out_height * out_width * in_channels * out_channels * kernel * kernel


def check_conv2d_macs() -> None:
    assert conv2d_macs(32, 32, 3, 16, 3) == 442368


def inference_latency_ms(macs: int, macs_per_cycle: float, clock_hz: float) -> float:
    """Estimated inference time of a model on a microcontroller.

    Method: cycles = macs / macs_per_cycle; latency = cycles / clock_hz in milliseconds.

    Parameters
    - macs (int): multiply-accumulates per inference.
    - macs_per_cycle (float): sustained MACs per clock cycle (e.g. 2 with SIMD on Cortex-M4).
    - clock_hz (float): CPU clock in Hz.

    Returns
    - latency_ms (float): inference latency in milliseconds.
    """
    return macs / macs_per_cycle / clock_hz * 1000.0


def check_inference_latency_ms() -> None:
    assert abs(inference_latency_ms(8_000_000, 2.0, 80e6) - 50.0) < 1e-9


def ring_buffer_push(buffer: np.ndarray, head: int, sample: float) -> tuple[np.ndarray, int]:
    """Write one sample into a fixed-size circular buffer.

    Method: buffer[head] = sample on a copy; head advances to (head + 1) mod capacity.

    Parameters
    - buffer (np.ndarray): circular buffer storage, shape (capacity,).
    - head (int): index of the next write position.
    - sample (float): new sample.

    Returns
    - updated (np.ndarray): buffer after the write, shape (capacity,).
    - new_head (int): next write position.
    """
    out = np.array(buffer, dtype=float, copy=True)
    out[head] = sample
    return out, (head + 1) % out.size


def check_ring_buffer_push() -> None:
    b = np.zeros(3)
    head = 0
    for v in [1.0, 2.0, 3.0, 4.0]:
        b, head = ring_buffer_push(b, head, v)
    assert b.tolist() == [4.0, 2.0, 3.0] and head == 1


def ring_buffer_in_order(buffer: np.ndarray, head: int) -> np.ndarray:
    """Contents of a full circular buffer from the oldest to the newest sample.

    Method: numpy.roll by -head (the write position holds the oldest sample).

    Parameters
    - buffer (np.ndarray): full circular buffer, shape (capacity,).
    - head (int): index of the next write position.

    Returns
    - ordered (np.ndarray): samples oldest first, shape (capacity,).
    """
    return np.roll(np.asarray(buffer), -head)


def check_ring_buffer_in_order() -> None:
    assert ring_buffer_in_order(np.array([4.0, 2.0, 3.0]), 1).tolist() == [2.0, 3.0, 4.0]


def iir_filter_chunk(
    b: np.ndarray, a: np.ndarray, chunk: np.ndarray, state: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Causal IIR filtering of one chunk of a stream, carrying the filter state between chunks.

    Method: scipy.signal.lfilter(b, a, chunk, zi=state); start the stream with
    state = zeros(max(len(a), len(b)) - 1).

    Parameters
    - b (np.ndarray): numerator coefficients, shape (n_b,).
    - a (np.ndarray): denominator coefficients, shape (n_a,).
    - chunk (np.ndarray): new samples, shape (n_chunk,).
    - state (np.ndarray): filter state from the previous chunk, shape (max(n_a, n_b) - 1,).

    Returns
    - filtered (np.ndarray): filtered chunk, shape (n_chunk,).
    - new_state (np.ndarray): state to pass with the next chunk, shape (max(n_a, n_b) - 1,).
    """
    y, zf = signal.lfilter(b, a, np.asarray(chunk, dtype=float), zi=state)
    return y, zf


def check_iir_filter_chunk() -> None:
    b, a = signal.butter(2, 0.1)
    x = np.random.default_rng(0).normal(size=300)
    state = np.zeros(2)
    parts = []
    for k in range(0, 300, 64):
        y, state = iir_filter_chunk(b, a, x[k : k + 64], state)
        parts.append(y)
    assert np.allclose(np.concatenate(parts), signal.lfilter(b, a, x))


def welford_update(count: int, mean: float, m2: float, sample: float) -> tuple[int, float, float]:
    """One step of Welford's numerically stable running mean and variance.

    Method: count += 1; delta = x - mean; mean += delta / count; m2 += delta * (x - mean);
    variance = m2 / (count - 1) when needed.

    Parameters
    - count (int): samples seen so far.
    - mean (float): running mean.
    - m2 (float): running sum of squared deviations.
    - sample (float): new sample.

    Returns
    - new_count (int): updated count.
    - new_mean (float): updated mean.
    - new_m2 (float): updated sum of squared deviations.
    """
    count += 1
    delta = sample - mean
    mean += delta / count
    m2 += delta * (sample - mean)
    return count, mean, m2


def check_welford_update() -> None:
    data = np.random.default_rng(0).normal(5.0, 2.0, 1000)
    state = (0, 0.0, 0.0)
    for v in data:
        state = welford_update(state[0], state[1], state[2], float(v))
    assert state[0] == 1000
    assert abs(state[1] - data.mean()) < 1e-9
    assert abs(state[2] / 999 - data.var(ddof=1)) < 1e-9


def ema_step(previous: float, sample: float, alpha: float) -> float:
    """One update of an exponential moving average, as kept on a sensor node.

    Method: y = alpha * sample + (1 - alpha) * previous.

    Parameters
    - previous (float): previous average.
    - sample (float): new sample.
    - alpha (float): smoothing factor in (0, 1].

    Returns
    - average (float): updated average.
    """
    return alpha * sample + (1.0 - alpha) * previous


def check_ema_step() -> None:
    assert ema_step(10.0, 20.0, 0.1) == 11.0
    y = 0.0
    for _ in range(200):
        y = ema_step(y, 5.0, 0.1)
    assert abs(y - 5.0) < 1e-6


def zigzag_encode(values: np.ndarray) -> np.ndarray:
    """ZigZag-map signed integers to unsigned ones so small magnitudes get short varints.

    Method: (v << 1) ^ (v >> 63) on int64: 0, -1, 1, -2, 2 map to 0, 1, 2, 3, 4.

    Parameters
    - values (np.ndarray): signed integers (e.g. sample deltas), shape (n,).

    Returns
    - encoded (np.ndarray): non-negative integers, uint64, shape (n,).
    """
    v = np.asarray(values).astype(np.int64)
    return ((v << 1) ^ (v >> 63)).astype(np.uint64)


def check_zigzag_encode() -> None:
    e = zigzag_encode(np.array([0, -1, 1, -2, 2, -64]))
    assert e.dtype == np.uint64
    assert e.tolist() == [0, 1, 2, 3, 4, 127]


def battery_life_hours(
    capacity_mah: float, active_ma: float, sleep_ma: float, duty_cycle: float
) -> float:
    """Battery life of a duty-cycled sensor node.

    Method: average current = duty_cycle * active_ma + (1 - duty_cycle) * sleep_ma; life =
    capacity_mah / average current (no derating).

    Parameters
    - capacity_mah (float): battery capacity in mAh.
    - active_ma (float): current while active in mA.
    - sleep_ma (float): current while asleep in mA.
    - duty_cycle (float): fraction of time active, in [0, 1].

    Returns
    - life_h (float): battery life in hours.
    """
    avg = duty_cycle * active_ma + (1.0 - duty_cycle) * sleep_ma
    return capacity_mah / avg


def check_battery_life_hours() -> None:
    assert abs(battery_life_hours(220.0, 10.0, 0.01, 0.01) - 220.0 / 0.1099) < 1e-9


def adc_counts_to_volts(counts: np.ndarray, vref: float, bits: int) -> np.ndarray:
    """Convert unsigned ADC readings to volts.

    Method: V = counts * vref / (2^bits - 1).

    Parameters
    - counts (np.ndarray): ADC codes in [0, 2^bits - 1], shape (n,).
    - vref (float): reference voltage in V.
    - bits (int): ADC resolution in bits.

    Returns
    - volts (np.ndarray): voltages in V, shape (n,).
    """
    return np.asarray(counts, dtype=float) * vref / (2**bits - 1)


def check_adc_counts_to_volts() -> None:
    v = adc_counts_to_volts(np.array([0, 4095, 2048]), 3.3, 12)
    assert np.allclose(v, [0.0, 3.3, 2048 * 3.3 / 4095])


def requantize_accumulator(
    acc: np.ndarray, multiplier: float, output_zero_point: int
) -> np.ndarray:
    """Requantise int32 accumulators of an int8 layer to int8 outputs.

    Method: y = round(acc * multiplier) + output_zero_point, clipped to [-128, 127], int8;
    multiplier = input_scale * weight_scale / output_scale.

    Parameters
    - acc (np.ndarray): int32 accumulators, shape (n,).
    - multiplier (float): combined requantisation multiplier.
    - output_zero_point (int): zero-point of the output tensor.

    Returns
    - y (np.ndarray): int8 outputs, shape (n,).
    """
    y = np.round(np.asarray(acc, dtype=np.int64) * multiplier) + output_zero_point
    return np.clip(y, -128, 127).astype(np.int8)


def check_requantize_accumulator() -> None:
    y = requantize_accumulator(np.array([1000, -1000, 100000], dtype=np.int32), 0.01, 5)
    assert y.dtype == np.int8
    assert y.tolist() == [15, -5, 127]


def goertzel_power(samples: np.ndarray, fs: float, target_hz: float) -> float:
    """Power of a single frequency with the Goertzel algorithm (cheap tone detection).

    Method: k = round(n * target_hz / fs), w = 2 pi k / n, s = x + 2 cos(w) s1 - s2 over the block;
    power = s1^2 + s2^2 - 2 cos(w) s1 s2 (equals |DFT bin k|^2).

    Parameters
    - samples (np.ndarray): 1-D block of samples, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - target_hz (float): frequency to detect in Hz.

    Returns
    - power (float): squared magnitude of the DFT bin nearest target_hz.
    """
    x = np.asarray(samples, dtype=float)
    n = x.size
    k = round(n * target_hz / fs)
    coeff = 2.0 * np.cos(2.0 * np.pi * k / n)
    s1 = s2 = 0.0
    for v in x:
        s1, s2 = v + coeff * s1 - s2, s1
    return float(s1 * s1 + s2 * s2 - coeff * s1 * s2)


def check_goertzel_power() -> None:
    fs = 8000.0
    t = np.arange(205) / fs
    x = np.sin(2 * np.pi * 697 * t)
    k = round(205 * 697 / fs)
    ref = abs(np.fft.fft(x)[k]) ** 2
    assert abs(goertzel_power(x, fs, 697.0) - ref) < 1e-6 * ref
    assert goertzel_power(x, fs, 1633.0) < 0.01 * ref


def block_average_decimate(x: np.ndarray, factor: int) -> np.ndarray:
    """Reduce the sample rate by averaging non-overlapping blocks (cheap on-node decimation).

    Method: drop the incomplete tail, reshape to (n // factor, factor), mean over each block.

    Parameters
    - x (np.ndarray): 1-D samples, shape (n_samples,).
    - factor (int): decimation factor.

    Returns
    - decimated (np.ndarray): block means, shape (n_samples // factor,).
    """
    x = np.asarray(x, dtype=float)
    n = x.size // factor
    return x[: n * factor].reshape(n, factor).mean(axis=1)


def check_block_average_decimate() -> None:
    y = block_average_decimate(np.arange(10.0), 4)
    assert y.tolist() == [1.5, 5.5]


def float16_max_error(x: np.ndarray) -> float:
    """Largest absolute error of storing values in half precision (float16).

    Method: max |x - float64(float16(x))|; values beyond the float16 range (65504) give inf.

    Parameters
    - x (np.ndarray): float values, shape (n,).

    Returns
    - max_error (float): largest absolute round-trip error.
    """
    v = np.asarray(x, dtype=float)
    if v.size == 0:
        return 0.0
    with np.errstate(over="ignore"):
        back = v.astype(np.float16).astype(float)
    return float(np.max(np.abs(v - back)))


def check_float16_max_error() -> None:
    assert float16_max_error(np.array([0.5, 1.0, 2.0])) == 0.0
    e = float16_max_error(np.array([1.0 + 2**-12]))
    assert 0 < e <= 2**-11
    assert float16_max_error(np.array([1e6])) == float("inf")
