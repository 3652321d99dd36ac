"""Texts of the core: the refusals of router and dispatch, role names, console, transports."""

TEXTS: dict[str, tuple[str, str]] = {
    "error.bad_number": (
        "请输入 {low} 到 {high} 之间的整数（半角数字）。",
        "Please give a whole number from {low} to {high} in ASCII digits.",
    ),
    "error.not_allowed": (
        "抱歉，您的角色无权执行此操作。",
        "Sorry, your role does not allow this.",
    ),
    "error.internal": (
        "抱歉，处理时出现内部错误，本次操作未生效。请稍后再试或联系管理员。",
        "Sorry, an internal error occurred; nothing was changed. "
        "Please try again later or contact the administrator.",
    ),
    "error.unknown_command": (
        "未知命令：{command}。发送 /help 查看可用命令。",
        "Unknown command: {command}. Send /help to see what you can do.",
    ),
    "error.too_long": (
        "消息过长（{length} 字，上限 {limit} 字），未处理。",
        "The message is too long ({length} characters, limit {limit}); it was not processed.",
    ),
    "error.unknown_button": (
        "这个按钮已失效或无法识别，未执行任何操作。发送 /help 重新开始。",
        "This button is no longer valid or not recognised; nothing was done. "
        "Send /help to start again.",
    ),
    "error.stranger": (
        "您好！您还没有绑定账号，暂时无法使用。请向管理员索取邀请码，然后发送 /bind 邀请码。",
        "Hello! Your account is not bound yet. Ask the administrator for an invite code, "
        "then send /bind CODE.",
    ),
    "error.inactive": (
        "您的账号已停用，无法继续使用。如有疑问请联系管理员。",
        "Your account is deactivated. Contact the administrator if this is a mistake.",
    ),
    "error.not_understood": (
        "没有理解您的消息。发送 /help 查看可用命令。",
        "I did not understand that. Send /help to see what you can do.",
    ),
    "error.file_unexpected": (
        "现在不需要文件。发送 /help 查看可用命令。",
        "No file is expected now. Send /help to see what you can do.",
    ),
    "error.group_private": (
        "请在与机器人的私聊中使用此命令。",
        "Please use this command in a private chat with the bot.",
    ),
    "error.duplicate_update": ("", ""),
    "audit.no_key": (
        "审计日志已使用密钥签名，但本进程没有加载审计密钥，因此不能写入。请联系管理员。",
        "The audit log is signed with a key, but this process has no audit key, so nothing "
        "can be written. Please contact the administrator.",
    ),
    "audit.key_missing": (
        "审计密钥文件 {path} 不存在，而审计日志到第 {seq} 条都用该密钥签名。请从备份恢复该文件；"
        "不要新建密钥，否则这些记录将无法核验。",
        "The audit key file {path} is missing, but audit entries up to {seq} were signed "
        "with it. Restore the file from its backup; a new key would leave them unverifiable.",
    ),
    "audit.key_malformed": (
        "审计密钥文件 {path} 的内容不是密钥（应为 64 位十六进制数字）。请从备份恢复该文件。",
        "The audit key file {path} does not hold a key (64 hexadecimal digits). Restore it "
        "from its backup.",
    ),
    "audit.key_unreadable": (
        "无法读取审计密钥文件 {path}：{error}",
        "Cannot read the audit key file {path}: {error}",
    ),
    "audit.checkpoints_unreadable": (
        "无法读取审计检查点文件 {path}：{error}",
        "Cannot read the audit checkpoint file {path}: {error}",
    ),
    "audit.bad_checkpoint": (
        "检查点“{value}”的格式不对：应为 序号:哈希，即数字、冒号和 64 位十六进制数字。",
        'The checkpoint "{value}" is not SEQ:HASH: a number, a colon and 64 hexadecimal digits.',
    ),
    "role.admin": ("管理员", "administrator"),
    "role.coordinator": ("联席办协调员", "coordinator"),
    "role.inspector": ("检查人员", "inspector"),
    "role.leader": ("领导", "leader"),
    "role.reviewer": ("部门审核员", "department reviewer"),
    "error.location_unexpected": (
        "现在不需要位置：请在填报检查记录、被询问检查地点时发送。",
        "No location is expected now: send it when /record asks for the place of the check.",
    ),
    "roles.none": ("无", "none"),
    "list.sep": ("、", ", "),
    "console.banner": (
        "联合抽查助手 控制台（用户 {login}）。输入 /help 查看命令；输入数字选择按钮"
        "（数字前加英文单引号则作为文字发送，如 '1）；输入 @file 路径 发送文件；Ctrl-D 退出。",
        "JointCheck console (user {login}). Type /help; a number presses a button (a leading "
        "quote sends it as text: '1); @file PATH sends a file; Ctrl-D quits.",
    ),
    "console.help_hint": (
        "控制台：输入按钮前方括号里的数字即按下该按钮；要把数字作为文字发送，"
        "请在前面加英文单引号，如 '1；输入 @file 路径 发送文件。",
        "Console: type the number in brackets before a button to press it; to send a number "
        "as text, put a quote before it, as in '1; @file PATH sends a file.",
    ),
    "console.no_file": ("无法读取文件：", "Cannot read the file:"),
    "telegram.send_failed": (
        "抱歉，您的操作已处理，但回复未能完整送达。发送 /help 可继续。",
        "Sorry, your request was handled but the reply could not be delivered in full. "
        "Send /help to continue.",
    ),
    "telegram.file_too_big": (
        "文件过大，机器人最多只能接收 {limit} MB 的文件，未处理。",
        "The file is too large: the bot can receive files up to {limit} MB. It was not processed.",
    ),
}
