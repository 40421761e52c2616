"""Stops `make run` with a clear message when a system library is missing."""

import sys


def main():
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        sys.exit(
            "WeasyPrint cannot load its system libraries (Pango, HarfBuzz, fontconfig).\n"
            "On Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core\n"
            f"Details: {exc}"
        )


if __name__ == "__main__":
    main()
