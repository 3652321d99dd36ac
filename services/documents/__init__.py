"""Official documents: 抽查通知书, 现场检查笔录, 责令改正通知书, 送达回证 and the annual report.

`config` (where templates and the district's wording come from), `content` (what a document
says, hashed), the context builders `notice`, `onsite`, `order` (the order and its proof of
service) and `annual`, `kinds` (which builder, who may read it), `render` (Word with
docxtpl, PDF with typst, the QR code), `store` (versions with SHA-256, verify codes),
`verify` (the public check) and `notify` (the team told of its notice).
"""
