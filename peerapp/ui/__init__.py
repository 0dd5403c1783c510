"""The desktop GUI (PySide6 on a qasync loop). The only package that imports Qt."""
