/**
 * The "demo" data set: source servers whose Agents are registered, target ECS servers and VM
 * templates, with fixed ids that examples and tests can name. Described in emulator/README.md.
 */
import type { SourceServerRecord, TargetVmRecord, TemplateRecord } from "./models";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** Fixed ids of the demo data set. */
export const smsDemoIds = {
  sources: {
    /** LINUX, CentOS 7.9, one 40 GiB disk. */
    web01: "a1b2c3d4-0001-4000-8000-000000000001",
    /** LINUX, Ubuntu 22.04, one 40 GiB disk. */
    web02: "a1b2c3d4-0001-4000-8000-000000000002",
    /** LINUX, CentOS 7.9, 40 GiB system disk and a 200 GiB data disk. */
    db01: "a1b2c3d4-0001-4000-8000-000000000003",
    /** WINDOWS, Windows Server 2019, one 60 GiB disk. */
    winApp01: "a1b2c3d4-0001-4000-8000-000000000004",
    /** LINUX, Agent disconnected: creating a task for it fails. */
    legacy01: "a1b2c3d4-0001-4000-8000-000000000005",
  },
  targets: {
    ecsWeb01: "b1b2c3d4-0002-4000-8000-000000000001",
    ecsWeb02: "b1b2c3d4-0002-4000-8000-000000000002",
    ecsDb01: "b1b2c3d4-0002-4000-8000-000000000003",
    ecsWinApp01: "b1b2c3d4-0002-4000-8000-000000000004",
  },
  templates: {
    linux: "c1b2c3d4-0003-4000-8000-000000000001",
    windows: "c1b2c3d4-0003-4000-8000-000000000002",
  },
} as const;

/** Demo add date: 2024-01-15T08:00:00Z. */
const ADDED = Date.UTC(2024, 0, 15, 8, 0, 0);

function linuxSystemDisk(fs: "xfs" | "ext4", usedRoot: number, uuidSuffix: string) {
  return {
    name: "/dev/vda",
    device_use: "OS",
    disk_id: "0",
    size: 40 * GiB,
    used_size: usedRoot + 210 * MiB,
    physical_volumes: [
      {
        device_use: "BOOT",
        file_system: fs,
        index: 0,
        mount_point: "/boot",
        name: "/dev/vda1",
        size: 1 * GiB,
        used_size: 210 * MiB,
        inode_size: 256,
        uuid: `8d3e0a51-6f1b-4c1e-9a3b-${uuidSuffix}01`,
      },
      {
        device_use: "OS",
        file_system: fs,
        index: 1,
        mount_point: "/",
        name: "/dev/vda2",
        size: 39 * GiB,
        used_size: usedRoot,
        inode_size: 256,
        uuid: `8d3e0a51-6f1b-4c1e-9a3b-${uuidSuffix}02`,
      },
    ],
  };
}

/** The demo source servers. */
export function demoSources(): SourceServerRecord[] {
  const s = smsDemoIds.sources;
  return [
    {
      id: s.web01,
      name: "web-01",
      hostname: "web-01.example.internal",
      ip: "10.0.1.11",
      os_type: "LINUX",
      os_version: "CENTOS_7_9_64BIT",
      agent_version: "24.3.0",
      connected: true,
      firmware: "BIOS",
      cpu_quantity: 2,
      memory: 4096,
      add_date: ADDED,
      disks: [linuxSystemDisk("xfs", 12 * GiB, "0000000011")],
    },
    {
      id: s.web02,
      name: "web-02",
      hostname: "web-02.example.internal",
      ip: "10.0.1.12",
      os_type: "LINUX",
      os_version: "UBUNTU_22_04_64BIT",
      agent_version: "24.3.0",
      connected: true,
      firmware: "UEFI",
      cpu_quantity: 2,
      memory: 4096,
      add_date: ADDED,
      disks: [linuxSystemDisk("ext4", 9 * GiB, "0000000012")],
    },
    {
      id: s.db01,
      name: "db-01",
      hostname: "db-01.example.internal",
      ip: "10.0.1.21",
      os_type: "LINUX",
      os_version: "CENTOS_7_9_64BIT",
      agent_version: "24.3.0",
      connected: true,
      firmware: "BIOS",
      cpu_quantity: 8,
      memory: 32768,
      add_date: ADDED,
      disks: [
        linuxSystemDisk("xfs", 15 * GiB, "0000000021"),
        {
          name: "/dev/vdb",
          device_use: "NORMAL",
          disk_id: "1",
          size: 200 * GiB,
          used_size: 96 * GiB,
          physical_volumes: [
            {
              device_use: "NORMAL",
              file_system: "xfs",
              index: 0,
              mount_point: "/data",
              name: "/dev/vdb1",
              size: 200 * GiB,
              used_size: 96 * GiB,
              inode_size: 512,
              uuid: "8d3e0a51-6f1b-4c1e-9a3b-000000002103",
            },
          ],
        },
      ],
    },
    {
      id: s.winApp01,
      name: "win-app-01",
      hostname: "WIN-APP-01",
      ip: "10.0.1.31",
      os_type: "WINDOWS",
      os_version: "WINDOWS2019_64BIT",
      agent_version: "24.3.0",
      connected: true,
      firmware: "BIOS",
      cpu_quantity: 4,
      memory: 8192,
      add_date: ADDED,
      disks: [
        {
          name: "Disk 0",
          device_use: "OS",
          disk_id: "0",
          size: 60 * GiB,
          used_size: 28 * GiB + 410 * MiB,
          physical_volumes: [
            {
              device_use: "BOOT",
              file_system: "NTFS",
              index: 1,
              mount_point: "",
              name: "System Reserved",
              size: 500 * MiB,
              used_size: 410 * MiB,
              uuid: "\\\\?\\Volume{6f1c2b7a-0000-0000-0000-100000000000}\\",
            },
            {
              device_use: "OS",
              file_system: "NTFS",
              index: 2,
              mount_point: "C:\\",
              name: "C:",
              size: 60 * GiB - 500 * MiB,
              used_size: 28 * GiB,
              uuid: "\\\\?\\Volume{6f1c2b7a-0000-0000-0000-501f00000000}\\",
            },
          ],
        },
      ],
    },
    {
      id: s.legacy01,
      name: "legacy-01",
      hostname: "legacy-01.example.internal",
      ip: "10.0.1.41",
      os_type: "LINUX",
      os_version: "CENTOS_6_10_64BIT",
      agent_version: "23.8.0",
      connected: false,
      firmware: "BIOS",
      cpu_quantity: 1,
      memory: 2048,
      add_date: ADDED,
      disks: [{ ...linuxSystemDisk("ext4", 6 * GiB, "0000000041"), size: 20 * GiB }],
    },
  ];
}

/** The demo target ECS servers (stopped, waiting to receive a migration). */
export function demoTargets(): TargetVmRecord[] {
  const t = smsDemoIds.targets;
  const base = {
    status: "SHUTOFF" as const,
    region: "cn-north-4",
    project_id: "0123456789abcdef0123456789abcdef",
  };
  return [
    { ...base, id: t.ecsWeb01, name: "ecs-web-01", ip: "192.168.10.11", flavor: "s6.large.2" },
    { ...base, id: t.ecsWeb02, name: "ecs-web-02", ip: "192.168.10.12", flavor: "s6.large.2" },
    { ...base, id: t.ecsDb01, name: "ecs-db-01", ip: "192.168.10.21", flavor: "s6.2xlarge.4" },
    { ...base, id: t.ecsWinApp01, name: "ecs-win-app-01", ip: "192.168.10.31", flavor: "s6.xlarge.2" },
  ];
}

/** The demo VM templates, from which SMS creates target servers. */
export function demoTemplates(): TemplateRecord[] {
  const t = smsDemoIds.templates;
  const base = {
    region: "cn-north-4",
    project_id: "0123456789abcdef0123456789abcdef",
    vpc: "vpc-emulator-migration",
    subnet: "subnet-emulator-192-168-20",
    security_group: "sg-emulator-migration",
  };
  return [
    {
      ...base,
      id: t.linux,
      name: "tpl-linux-general",
      flavor: "s6.large.2",
      target_server_name: "sms-linux-target",
    },
    {
      ...base,
      id: t.windows,
      name: "tpl-windows-general",
      flavor: "s6.xlarge.2",
      target_server_name: "sms-windows-target",
    },
  ];
}
