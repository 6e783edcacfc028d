"""Entry point (`train` runs `python -m trainer`): one process per GPU via torchrun when the job has more than one
instance or GPU, the training itself otherwise."""
import os
import sys

import torch

from .layout import Layout


def main() -> int:
    if "WORLD_SIZE" in os.environ:
        from .train import main as train

        return train()
    layout = Layout.from_environment()
    current, hosts = layout.hosts()
    gpus = torch.cuda.device_count()
    if len(hosts) == 1 and gpus <= 1:
        from .train import main as train

        return train()
    master = os.environ.get("TRAINER_MASTER_ADDR", sorted(hosts)[0])
    command = [
        sys.executable, "-m", "torch.distributed.run",
        f"--nnodes={len(hosts)}", f"--node_rank={sorted(hosts).index(current)}", f"--nproc_per_node={max(gpus, 1)}",
        f"--master_addr={master}", "--master_port=29500",
        "-m", "trainer.train",
    ]
    print("launching: " + " ".join(command), flush=True)
    os.execv(sys.executable, command)
    return 1


if __name__ == "__main__":
    sys.exit(main())
