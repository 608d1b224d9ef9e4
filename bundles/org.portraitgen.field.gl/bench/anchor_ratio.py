# Ratio of our GL figures (GlBench's FIGURES line) to the PyTorch anchor (anchor JSON), printed as a Markdown table.
import json, re, sys
bench = open(sys.argv[1]).read()
m = re.search(r"FIGURES \{(.*)\}", bench)
ours = {k.strip(): float(v) for k, v in (p.split("=") for p in m.group(1).split(","))} if m else {}
txt = open(sys.argv[2]).read()
anchor = json.loads(txt[txt.index("{"):txt.rindex("}") + 1])
rows = [("CNN forward 512², B=1, GL fp32", "cnn_fwd_ms", [("fp32", anchor["tf32=False B=1"]["fwd_ms"]),
                                              ("TF32", anchor["tf32=True B=1"]["fwd_ms"]),
                                              ("fp16", anchor["fp16 B=1 fwd_ms"])]),
        ("CNN forward+backward 512², B=10, GL fp32", "cnn_fwd_bwd_b10_ms", [("fp32", anchor["tf32=False B=10"]["fwd_bwd_ms"]),
                                                                   ("TF32", anchor["tf32=True B=10"]["fwd_bwd_ms"])])]
rows += [("CNN forward 512², B=1, trainer's Vulkan fp16 CNN (GPU timestamps)", "vk_cnn_gpu_fwd_ms",
          [("fp16", anchor["fp16 B=1 fwd_ms"])]),
         ("CNN forward+backward 512², B=10, trainer's Vulkan fp16 CNN, one frame per pass", "vk_cnn_fwd_bwd_b10_ms",
          [("fp32", anchor["tf32=False B=10"]["fwd_bwd_ms"]), ("TF32", anchor["tf32=True B=10"]["fwd_bwd_ms"])]),
         ("CNN forward+backward 512², B=10, trainer's Vulkan fp16 CNN, 10 frames per pass (as the trainer runs it)",
          "vk_cnn_fwd_bwd_b10_slots_ms",
          [("fp32", anchor["tf32=False B=10"]["fwd_bwd_ms"]), ("TF32", anchor["tf32=True B=10"]["fwd_bwd_ms"])])]
print("| case | ours ms | PyTorch anchor ms | ours / anchor |\n|---|---|---|---|")
for name, key, refs in rows:
    if key not in ours:
        print(f"| {name} | missing | | |")
        continue
    for label, ref in refs:
        print(f"| {name} | {ours[key]:.3f} | {ref:.3f} ({label}) | **{ours[key] / ref:.2f}** |")
