"""Reference trainer for the mlops-blueprint training pipeline (SageMaker training container contract)."""
