"""The Streamlit user interface: one module per page, plus the thread-safe live processor."""
