# The exam engine is administered in the Wagtail admin (exams/wagtail_hooks.py).
