"""Import: copy from outside into a draft page source.

    extracted  text extracted from a printed page (reflowed, its spaces sorted out)
    word       a Word or WPS document (.docx), by its paragraph styles
    draft      what both recognise, written as a page source and checked whole
"""
