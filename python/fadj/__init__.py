"""fadj: the Python side of fadj -- export a PyTorch model to a fadj
network file and audit torch's gradients against fadj-audit's certified
ones (see fadj.torch)."""

__all__ = ["torch"]
