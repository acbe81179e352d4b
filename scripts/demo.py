"""make demo: run the main job end to end on embedded defaults (replaced as features land)."""
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
sys.exit(subprocess.call([sys.executable, "-m", "hlsp", "rules"], cwd=root))
